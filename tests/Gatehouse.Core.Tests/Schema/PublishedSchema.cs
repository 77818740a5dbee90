using System.Text.Json;
using Json.Schema;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// A published schema evaluated by JsonSchema.Net, a maintained implementation of draft 2020-12
/// (ADR 0003). Every violation is reported at the JSON Pointer of the offending value, as an
/// editor underlines it: a missing key at the key (the library reports it at its object, which
/// is kept when the key belongs to one form of a oneOf/anyOf), a duplicate list item at the
/// repeat (the library reports it at the list).
/// </summary>
internal sealed class PublishedSchema
{
    private static readonly EvaluationOptions ListEveryError = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;
    private readonly JsonElement _document;

    private PublishedSchema(string json)
    {
        using var document = JsonDocument.Parse(json);
        _document = document.RootElement.Clone();
        _schema = JsonSchema.Build(_document, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    public static PublishedSchema Load(string path) => new(File.ReadAllText(path));

    public static PublishedSchema Parse(string json) => new(json);

    public IReadOnlyList<SchemaError> Evaluate(JsonElement instance)
    {
        var results = _schema.Evaluate(instance, ListEveryError);
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<SchemaError>();
        foreach (var result in (results.Details ?? []).Prepend(results).Where(r => !r.IsValid && r.Errors is { Count: > 0 }))
        {
            var at = result.InstanceLocation.ToString();
            foreach (var (keyword, message) in result.Errors!)
            {
                errors.AddRange(keyword switch
                {
                    // Inside one form of a oneOf/anyOf, a missing key says the value has none of the forms.
                    "required" when !IsAlternative(result) => Missing(result, instance).Select(key => new SchemaError($"{at}/{Escape(key)}", $"required key '{key}' is missing")),
                    "uniqueItems" => Repeats(Pointer.Find(instance, at)).Select(i => new SchemaError($"{at}/{i}", "this item repeats an earlier one")),
                    _ => [new SchemaError(at, keyword.Length == 0 ? message : $"{keyword}: {message}")],
                });
            }
        }

        return [.. errors.Distinct()];
    }

    /// <summary>Keywords of the schema that JSON Schema 2020-12 does not define: a typo there would be ignored silently.</summary>
    public IReadOnlyList<string> UnknownKeywords()
    {
        using var empty = JsonDocument.Parse("{}");
        var results = _schema.Evaluate(empty.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, AddAnnotationForUnknownKeywords = true });
        return [.. (results.Details ?? []).Prepend(results)
            .Where(r => r.Annotations is not null && r.Annotations.ContainsKey("$unknownKeywords"))
            .SelectMany(r => r.Annotations!["$unknownKeywords"].EnumerateArray().Select(k => $"{r.EvaluationPath}: {k.GetString()}"))
            .Distinct()];
    }

    private static bool IsAlternative(EvaluationResults result)
    {
        var path = result.EvaluationPath.ToString();
        return path.Contains("/oneOf/", StringComparison.Ordinal) || path.Contains("/anyOf/", StringComparison.Ordinal);
    }

    // The keys of the failing schema's `required` that the object lacks.
    private IEnumerable<string> Missing(EvaluationResults result, JsonElement instance)
    {
        var schema = Pointer.Find(_document, Uri.UnescapeDataString(result.SchemaLocation.Fragment.TrimStart('#')));
        var target = Pointer.Find(instance, result.InstanceLocation.ToString());
        return schema.GetProperty("required").EnumerateArray().Select(k => k.GetString()!).Where(k => !target.TryGetProperty(k, out _));
    }

    private static IEnumerable<int> Repeats(JsonElement list)
    {
        var items = list.EnumerateArray().ToList();
        return Enumerable.Range(0, items.Count).Where(i => items.Take(i).Any(earlier => JsonElement.DeepEquals(earlier, items[i])));
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>RFC 6901 JSON Pointer lookup in a JsonElement.</summary>
    private static class Pointer
    {
        public static JsonElement Find(JsonElement root, string pointer)
        {
            var current = root;
            foreach (var segment in pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
            {
                current = current.ValueKind == JsonValueKind.Array
                    ? current[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]
                    : current.GetProperty(segment);
            }

            return current;
        }
    }
}
