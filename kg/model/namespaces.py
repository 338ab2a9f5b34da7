"""RDF namespaces. SAC is closed: a term missing from the ontology is an AttributeError."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

from kg.model import iris

SAC_IRI = iris.SAC
ID_IRI = iris.ID

ID = Namespace(ID_IRI)
BIBO = Namespace(iris.BIBO)
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
QK = Namespace("http://qudt.org/vocab/quantitykind/")
QKDV = Namespace("http://qudt.org/vocab/dimensionvector/")


class SAC(DefinedNamespace):
    """Terms of ontology/sackg.ttl and ontology/vocabulary.ttl used by the code."""

    _NS = Namespace(SAC_IRI)
    _fail = True

    # classes
    Material: URIRef
    Review: URIRef
    SACSystem: URIRef
    ControlMaterial: URIRef
    Support: URIRef
    ChemicalElement: URIRef
    AlkaliMetal: URIRef
    MetalAnode: URIRef
    Battery: URIRef
    Claim: URIRef
    Measurement: URIRef
    UnquantifiedBaseline: URIRef
    Finding: URIRef
    aboutMaterial: URIRef
    statement: URIRef
    comparedWith: URIRef
    subjectText: URIRef
    effectText: URIRef
    evidenceText: URIRef
    SystemGroup: URIRef
    AmbiguousName: URIRef
    hasMember: URIRef
    candidate: URIRef
    inferred: URIRef
    inferredTechnique: URIRef
    inference: URIRef
    TestCondition: URIRef
    Challenge: URIRef
    Prospect: URIRef
    SustainabilityConsideration: URIRef
    ReviewSection: URIRef
    Figure: URIRef
    FigurePanel: URIRef
    Comparator: URIRef
    ValueOrigin: URIRef
    ClaimEffect: URIRef
    Unit: URIRef
    Mechanism: URIRef
    QuantityKind: URIRef
    ConditionKind: URIRef
    EvidenceKind: URIRef
    Technique: URIRef
    SupportKind: URIRef
    CoordinationEnvironment: URIRef
    SynthesisMethod: URIRef
    CellConfiguration: URIRef
    Role: URIRef
    # properties
    centreMetal: URIRef
    support: URIRef
    supportKind: URIRef
    coordinationEnvironment: URIRef
    targetMetal: URIRef
    appliedTo: URIRef
    role: URIRef
    synthesisMethod: URIRef
    characterizedBy: URIRef
    reportedIn: URIRef
    symbol: URIRef
    ofMetal: URIRef
    battery: URIRef
    aboutSystem: URIRef
    mechanism: URIRef
    alkaliMetal: URIRef
    effect: URIRef
    evidenceTechnique: URIRef
    evidenceKind: URIRef
    onMaterial: URIRef
    quantityKind: URIRef
    value: URIRef
    unit: URIRef
    comparator: URIRef
    valueOrigin: URIRef
    computationMethod: URIRef
    cellConfiguration: URIRef
    testCondition: URIRef
    conditionKind: URIRef
    baseline: URIRef
    valueText: URIRef
    conditionsText: URIRef
    baselineText: URIRef
    qudtQuantityKind: URIRef
    preferredUnit: URIRef
    lowerIsBetter: URIRef
    minimumValue: URIRef
    maximumValue: URIRef
    unitAlias: URIRef
    conditionKey: URIRef
    concerns: URIRef
    statedInSection: URIRef
    shownInFigure: URIRef
    doubt: URIRef
    sectionNumber: URIRef
    figureNumber: URIRef
    panel: URIRef
    inSection: URIRef
    reviewNumber: URIRef
    prospectNumber: URIRef
    citedInSection: URIRef
    reproducedInFigure: URIRef
    citedFor: URIRef
    correspondingAuthor: URIRef
    affiliation: URIRef
    Acknowledgement: URIRef
    acknowledges: URIRef
    acknowledgedFor: URIRef
    grantNumber: URIRef
    AuthorBiography: URIRef
    aboutAuthor: URIRef
    sourceKey: URIRef
    # individuals the code refers to
    Measured: URIRef
    Computed: URIRef
    Promotes: URIRef
    OriginNotStated: URIRef
    EvidenceNotStated: URIRef
    MechanismScheme: URIRef
    any: URIRef
