# The raw view: a corrected graph turned back into the extractor's own, before the analysts' decisions
# (carekg.review.decisions.raw_view; the --raw option). Runs on a graph read into memory, never on a file.
# The steps run in this order: each one relies on links the next ones remove.
PREFIX ckg: <https://w3id.org/carekg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <https://schema.org/>

# 1. The roles of agents in documents (mentions) that decisions took away come back.
INSERT { ?doc ?role ?agent }
WHERE {
  ?decision a ckg:Correction ; prov:invalidated ?mention .
  ?mention a rdf:Statement ; rdf:subject ?doc ; rdf:predicate ?role ; rdf:object ?agent .
} ;

# 2. The roles analysts added go.
DELETE { ?doc ?role ?agent }
WHERE {
  ?mention prov:wasGeneratedBy ?decision ; a rdf:Statement ; rdf:subject ?doc ; rdf:predicate ?role ; rdf:object ?agent .
  ?decision a ckg:Correction .
} ;

# 3. Links to what analysts made (a statement offering an analyst's claim as evidence) go.
DELETE { ?subject ?link ?made }
WHERE { ?made prov:wasGeneratedBy ?decision . ?decision a ckg:Correction . ?subject ?link ?made . } ;

# 4. The parts of what analysts made (selectors, stated values) go.
DELETE { ?part ?property ?value }
WHERE {
  ?made prov:wasGeneratedBy ?decision ; oa:hasSelector|ckg:quantity ?part .
  ?decision a ckg:Correction .
  ?part ?property ?value .
} ;

# 5. What analysts made goes.
DELETE { ?made ?property ?value }
WHERE { ?made prov:wasGeneratedBy ?decision . ?decision a ckg:Correction . ?made ?property ?value . } ;

# 6. Superseded statements and claims stand again.
DELETE { ?statement a ckg:SupersededStatement ; prov:wasInvalidatedBy ?decision }
INSERT { ?statement a ckg:StanceStatement }
WHERE { ?statement a ckg:SupersededStatement ; prov:wasInvalidatedBy ?decision . } ;
DELETE { ?claim a ckg:SupersededClaim ; prov:wasInvalidatedBy ?decision }
INSERT { ?claim a schema:Claim }
WHERE { ?claim a ckg:SupersededClaim ; prov:wasInvalidatedBy ?decision . } ;

# 7. The decisions go, with the mentions they decided on and the analysts who took them.
DELETE { ?mention ?property ?value }
WHERE { ?decision a ckg:Correction ; ckg:decides ?mention . ?mention a rdf:Statement ; ?property ?value . } ;
DELETE { ?analyst ?property ?value }
WHERE { ?decision a ckg:Correction ; prov:wasAssociatedWith ?analyst . ?analyst ?property ?value . } ;
DELETE { ?decision ?property ?value }
WHERE { ?decision a ckg:Correction ; ?property ?value . }
