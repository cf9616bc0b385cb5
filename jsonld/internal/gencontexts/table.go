package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
)

// parseTable reads the entries of a generated table.go without compiling it,
// so that -check works even when the table no longer builds.
func parseTable(path string) ([]entry, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	var entries []entry
	var perr error
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || perr != nil {
			return perr == nil
		}
		if _, isSlice := lit.Type.(*ast.ArrayType); isSlice {
			return true
		}
		var e entry
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				perr = fmt.Errorf("%s: unexpected element in table", path)
				return false
			}
			key, _ := kv.Key.(*ast.Ident)
			if key == nil {
				perr = fmt.Errorf("%s: unexpected key in table", path)
				return false
			}
			if key.Name == "Converted" {
				id, _ := kv.Value.(*ast.Ident)
				e.Converted = id != nil && id.Name == "true"
				continue
			}
			bl, ok := kv.Value.(*ast.BasicLit)
			if !ok || bl.Kind != token.STRING {
				perr = fmt.Errorf("%s: field %s is not a string literal", path, key.Name)
				return false
			}
			v, err := strconv.Unquote(bl.Value)
			if err != nil {
				perr = err
				return false
			}
			switch key.Name {
			case "URL":
				e.URL = v
			case "File":
				e.File = v
			case "SHA256":
				e.SHA256 = v
			case "Package":
				e.Package = v
			case "Version":
				e.Version = v
			case "Path":
				e.Path = v
			case "Integrity":
				e.Integrity = v
			case "OfficialURL":
				e.OfficialURL = v
			default:
				perr = fmt.Errorf("%s: unknown field %s in table", path, key.Name)
				return false
			}
		}
		entries = append(entries, e)
		return false
	})
	if perr != nil {
		return nil, perr
	}
	return entries, nil
}
