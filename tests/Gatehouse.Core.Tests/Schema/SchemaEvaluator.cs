using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// Evaluates an instance against the subset of JSON Schema 2020-12 the Gatehouse schemas use
/// (no JSON Schema package is on the feed). A keyword outside the subset throws, so a schema can
/// never lean on a rule these tests silently skip. Reports every violation, not the first.
/// </summary>
internal sealed partial class SchemaEvaluator
{
    private static readonly HashSet<string> Annotations =
        ["$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "deprecated"];

    private readonly JsonElement root;

    public SchemaEvaluator(JsonElement root) => this.root = root;

    public static SchemaEvaluator Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new SchemaEvaluator(document.RootElement.Clone());
    }

    public static SchemaEvaluator Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new SchemaEvaluator(document.RootElement.Clone());
    }

    public IReadOnlyList<SchemaError> Evaluate(JsonElement instance)
    {
        var errors = new List<SchemaError>();
        Evaluate(root, instance, "", errors);
        return errors;
    }

    private void Evaluate(JsonElement schema, JsonElement instance, string path, List<SchemaError> errors)
    {
        if (schema.ValueKind is JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind is JsonValueKind.False)
        {
            errors.Add(new(path, "no value is allowed here"));
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case "$ref": Evaluate(Resolve(value.GetString()!), instance, path, errors); break;
                case "type": CheckType(value, instance, path, errors); break;
                case "enum": CheckEnum(value, instance, path, errors); break;
                case "const": CheckConst(value, instance, path, errors); break;
                case "oneOf" or "anyOf": CheckCombinator(keyword.Name, value, instance, path, errors); break;
                case "properties" or "required" or "additionalProperties": CheckObject(keyword.Name, schema, instance, path, errors); break;
                case "items" or "minItems" or "maxItems" or "uniqueItems": CheckArray(keyword.Name, value, instance, path, errors); break;
                case "pattern" or "minLength" or "maxLength": CheckString(keyword.Name, value, instance, path, errors); break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"Keyword '{keyword.Name}' is outside the subset this evaluator implements; extend it (with a test) before using it in a schema.");
                    }

                    break;
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        const string prefix = "#/$defs/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal) ||
            !root.TryGetProperty("$defs", out var defs) ||
            !defs.TryGetProperty(reference[prefix.Length..], out var target))
        {
            throw new NotSupportedException($"Cannot resolve $ref '{reference}': only '#/$defs/NAME' within the same schema is supported.");
        }

        return target;
    }

    private void CheckCombinator(string keyword, JsonElement alternatives, JsonElement instance, string path, List<SchemaError> errors)
    {
        var matching = alternatives.EnumerateArray().Count(alternative =>
        {
            var inner = new List<SchemaError>();
            Evaluate(alternative, instance, path, inner);
            return inner.Count == 0;
        });
        if (keyword == "oneOf" && matching != 1)
        {
            errors.Add(new(path, $"must match exactly one of {alternatives.GetArrayLength()} forms (oneOf), matches {matching}"));
        }
        else if (keyword == "anyOf" && matching == 0)
        {
            errors.Add(new(path, $"must match at least one of {alternatives.GetArrayLength()} forms (anyOf)"));
        }
    }
}
