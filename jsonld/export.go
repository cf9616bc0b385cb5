package jsonld

// exportVals converts expanded values to the JSON-LD expanded form as
// encoding/json shapes ([]any, map[string]any, float64, ...).
func exportVals(vals []xval) []any {
	out := make([]any, 0, len(vals))
	for i := range vals {
		out = append(out, exportVal(&vals[i]))
	}
	return out
}

func exportVal(v *xval) any {
	switch v.kind {
	case xNode:
		return exportNode(v.node)
	case xList:
		m := map[string]any{"@list": exportVals(v.items)}
		if v.hasIndex {
			m["@index"] = v.index
		}
		return m
	}
	m := map[string]any{}
	if v.typ == "@json" {
		m["@value"] = toGo(v.v)
	} else {
		m["@value"] = toGo(v.v)
	}
	if v.typ != "" {
		m["@type"] = v.typ
	}
	if v.lang != "" {
		m["@language"] = v.lang
	}
	if v.dir != "" {
		m["@direction"] = v.dir
	}
	if v.hasIndex {
		m["@index"] = v.index
	}
	return m
}

func exportNode(n *xnode) map[string]any {
	m := map[string]any{}
	if n.hasID {
		if n.id == "" {
			m["@id"] = nil // a reserved @id value without safe mode
		} else {
			m["@id"] = n.id
		}
	}
	if n.hasType {
		ts := make([]any, len(n.types))
		for i, t := range n.types {
			ts[i] = t
		}
		m["@type"] = ts
	}
	if n.hasIndex {
		m["@index"] = n.index
	}
	for _, p := range n.props {
		m[p.iri] = exportVals(p.vals)
	}
	if n.hasRev {
		r := map[string]any{}
		for _, p := range n.rev {
			r[p.iri] = exportVals(p.vals)
		}
		m["@reverse"] = r
	}
	if n.hasGraph {
		m["@graph"] = exportVals(n.graph)
	}
	if n.hasIncluded {
		m["@included"] = exportVals(n.included)
	}
	return m
}
