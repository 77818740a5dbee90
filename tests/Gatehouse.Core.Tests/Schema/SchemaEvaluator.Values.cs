using System.Text.Json;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>Keywords on single values: type, enum, const and the string keywords (which ignore non-strings).</summary>
internal sealed partial class SchemaEvaluator
{
    private static void CheckType(JsonElement type, JsonElement instance, string path, List<SchemaError> errors)
    {
        var allowed = type.ValueKind is JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
        if (!allowed.Any(t => HasType(instance, t)))
        {
            errors.Add(new(path, $"expected {string.Join(" or ", allowed)}, found {TypeName(instance)}"));
        }
    }

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind is JsonValueKind.Object,
        "array" => instance.ValueKind is JsonValueKind.Array,
        "string" => instance.ValueKind is JsonValueKind.String,
        "number" => instance.ValueKind is JsonValueKind.Number,
        "integer" => instance.ValueKind is JsonValueKind.Number && double.IsInteger(instance.GetDouble()),
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind is JsonValueKind.Null,
        _ => throw new NotSupportedException($"Unknown type '{type}'."),
    };

    private static string TypeName(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };

    private static void CheckEnum(JsonElement values, JsonElement instance, string path, List<SchemaError> errors)
    {
        if (!values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
        {
            errors.Add(new(path, $"must be one of {string.Join(", ", values.EnumerateArray().Select(v => v.GetRawText()))}, found {instance.GetRawText()}"));
        }
    }

    private static void CheckConst(JsonElement value, JsonElement instance, string path, List<SchemaError> errors)
    {
        if (!JsonElement.DeepEquals(value, instance))
        {
            errors.Add(new(path, $"must be {value.GetRawText()}, found {instance.GetRawText()}"));
        }
    }

    private static void CheckString(string keyword, JsonElement value, JsonElement instance, string path, List<SchemaError> errors)
    {
        if (instance.ValueKind is not JsonValueKind.String)
        {
            return;
        }

        var text = instance.GetString()!;
        var length = text.EnumerateRunes().Count(); // JSON Schema counts code points, not UTF-16 units
        switch (keyword)
        {
            case "pattern" when !EcmaPattern.IsMatch(value.GetString()!, text):
                errors.Add(new(path, $"\"{text}\" does not match {value.GetString()}"));
                break;
            case "minLength" when length < value.GetInt32():
                errors.Add(new(path, $"must be at least {value.GetInt32()} characters, is {length}"));
                break;
            case "maxLength" when length > value.GetInt32():
                errors.Add(new(path, $"must be at most {value.GetInt32()} characters, is {length}"));
                break;
        }
    }
}
