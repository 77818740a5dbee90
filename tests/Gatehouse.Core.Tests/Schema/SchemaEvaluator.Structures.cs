using System.Globalization;
using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>Object and array keywords; each applies only when the instance has that type, as the spec says.</summary>
internal sealed partial class SchemaEvaluator
{
    private void CheckObject(string keyword, JsonElement schema, JsonElement instance, string path, List<SchemaError> errors)
    {
        if (instance.ValueKind is not JsonValueKind.Object)
        {
            return;
        }

        var declared = schema.TryGetProperty("properties", out var properties) ? properties : default;
        bool IsDeclared(string name) => declared.ValueKind is JsonValueKind.Object && declared.TryGetProperty(name, out _);

        switch (keyword)
        {
            case "properties":
                foreach (var member in instance.EnumerateObject().Where(m => IsDeclared(m.Name)))
                {
                    Evaluate(declared.GetProperty(member.Name), member.Value, Child(path, member.Name), errors);
                }

                break;
            case "required":
                foreach (var name in schema.GetProperty("required").EnumerateArray().Select(n => n.GetString()!))
                {
                    if (!instance.TryGetProperty(name, out _))
                    {
                        errors.Add(new(Child(path, name), $"required key '{name}' is missing"));
                    }
                }

                break;
            case "additionalProperties":
                var additional = schema.GetProperty("additionalProperties");
                foreach (var member in instance.EnumerateObject().Where(m => !IsDeclared(m.Name)))
                {
                    if (additional.ValueKind is JsonValueKind.False)
                    {
                        errors.Add(new(Child(path, member.Name), $"unknown key '{member.Name}'"));
                    }
                    else
                    {
                        Evaluate(additional, member.Value, Child(path, member.Name), errors);
                    }
                }

                break;
        }
    }

    private void CheckArray(string keyword, JsonElement value, JsonElement instance, string path, List<SchemaError> errors)
    {
        if (instance.ValueKind is not JsonValueKind.Array)
        {
            return;
        }

        var items = instance.EnumerateArray().ToList();
        switch (keyword)
        {
            case "items":
                for (var i = 0; i < items.Count; i++)
                {
                    Evaluate(value, items[i], Child(path, i.ToString(CultureInfo.InvariantCulture)), errors);
                }

                break;
            case "minItems" when items.Count < value.GetInt32():
                errors.Add(new(path, $"needs at least {value.GetInt32()} item(s), has {items.Count}"));
                break;
            case "maxItems" when items.Count > value.GetInt32():
                errors.Add(new(path, $"allows at most {value.GetInt32()} item(s), has {items.Count}"));
                break;
            case "uniqueItems" when value.GetBoolean():
                for (var i = 1; i < items.Count; i++)
                {
                    if (items.Take(i).Any(earlier => JsonElement.DeepEquals(earlier, items[i])))
                    {
                        errors.Add(new(Child(path, i.ToString(CultureInfo.InvariantCulture)), $"duplicate item {items[i].GetRawText()}"));
                    }
                }

                break;
        }
    }

    // JSON Pointer (RFC 6901): '~' and '/' in a key are escaped.
    private static string Child(string path, string key) => $"{path}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
}
