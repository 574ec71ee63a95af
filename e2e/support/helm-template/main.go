// Command helm-template renders the templates of a Helm chart the way `helm template` does,
// for tests on machines without Helm: Go's text/template (the engine Helm uses) with the
// option Helm's strict mode sets (missingkey=error), and the functions kubeforge's charts use,
// defined as Helm and sprig define them (toYaml, toJson, nindent, indent, quote). Anything
// else a chart might call is undefined here and fails the parse, so a chart cannot silently
// use what this stand-in does not implement.
//
// Usage: go run main.go <chart-dir> < context.json
// context.json: {"Values": {...}, "Release": {"Name": ..., "Namespace": ..., "Service": "Helm"},
// "Chart": {"Name": ..., "Version": ...}}. Prints every rendered template as a YAML document.
package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

// toYaml writes JSON-compatible data as block YAML (strings double-quoted, which YAML reads
// as JSON strings), keys sorted like sigs.k8s.io/yaml, without the final newline (as Helm).
func toYaml(v interface{}) string {
	var b strings.Builder
	writeYaml(&b, v, 0)
	return strings.TrimSuffix(b.String(), "\n")
}

func scalar(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		q, _ := json.Marshal(x)
		return string(q)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		q, _ := json.Marshal(x)
		return string(q)
	}
}

func writeYaml(b *strings.Builder, v interface{}, depth int) {
	pad := strings.Repeat("  ", depth)
	switch x := v.(type) {
	case map[string]interface{}:
		if len(x) == 0 {
			b.WriteString(pad + "{}\n")
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			key, _ := json.Marshal(k)
			switch child := x[k].(type) {
			case map[string]interface{}:
				if len(child) == 0 {
					b.WriteString(pad + string(key) + ": {}\n")
					continue
				}
				b.WriteString(pad + string(key) + ":\n")
				writeYaml(b, child, depth+1)
			case []interface{}:
				if len(child) == 0 {
					b.WriteString(pad + string(key) + ": []\n")
					continue
				}
				b.WriteString(pad + string(key) + ":\n")
				writeYaml(b, child, depth+1)
			default:
				b.WriteString(pad + string(key) + ": " + scalar(child) + "\n")
			}
		}
	case []interface{}:
		for _, item := range x {
			var inner strings.Builder
			writeYaml(&inner, item, depth+1)
			text := strings.TrimPrefix(inner.String(), pad+"  ")
			b.WriteString(pad + "- " + text)
		}
	default:
		b.WriteString(pad + scalar(x) + "\n")
	}
}

func indent(spaces int, v string) string {
	pad := strings.Repeat(" ", spaces)
	return pad + strings.Replace(v, "\n", "\n"+pad, -1)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: helm-template <chart-dir> < context.json")
		os.Exit(2)
	}
	chart := os.Args[1]
	var context map[string]interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&context); err != nil {
		fmt.Fprintln(os.Stderr, "reading the context:", err)
		os.Exit(1)
	}
	funcs := template.FuncMap{
		"toYaml":  toYaml,
		"toJson":  func(v interface{}) string { b, _ := json.Marshal(v); return string(b) },
		"indent":  indent,
		"nindent": func(spaces int, v string) string { return "\n" + indent(spaces, v) },
		"quote": func(v interface{}) string {
			if v == nil {
				return ""
			}
			return fmt.Sprintf("%q", fmt.Sprint(v))
		},
	}
	var files []string
	root := filepath.Join(chart, "templates")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sort.Strings(files)
	for _, path := range files {
		text, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		rel, _ := filepath.Rel(chart, path)
		t, err := template.New(rel).Funcs(funcs).Option("missingkey=error").Parse(string(text))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var out strings.Builder
		if err := t.Execute(&out, context); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if strings.TrimSpace(out.String()) == "" {
			continue
		}
		fmt.Printf("---\n# Source: %s\n%s\n", rel, strings.TrimRight(out.String(), "\n"))
	}
}
