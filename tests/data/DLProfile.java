// Parses an OWL document with the OWL API bundled in owlready2's HermiT.jar (the library
// Protégé is built on) and checks it against the OWL 2 DL profile. Run as a single-file
// program (tests/test_hermit.py):  java -cp HermiT.jar tests/data/DLProfile.java FILE-IRI
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DLProfile {
    public static void main(String[] args) throws Exception {
        OWLOntology o = OWLManager.createOWLOntologyManager()
            .loadOntologyFromOntologyDocument(IRI.create(args[0]));
        System.out.println("individuals " + o.getIndividualsInSignature().size());
        OWLProfileReport report = new OWL2DLProfile().checkOntology(o);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println("violation " + v);
        }
        System.out.println("OWL 2 DL " + report.isInProfile());
    }
}
