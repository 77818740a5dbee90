using System.Globalization;
using System.Text.Json;

namespace Gatehouse.Server.Portal;

/// <summary>An audit event's data, a small JSON object, as "name: value" pairs a person reads.</summary>
internal static class AuditDetails
{
    public static IReadOnlyList<(string Name, string Value)> Read(string? data)
    {
        if (string.IsNullOrWhiteSpace(data))
        {
            return [];
        }

        try
        {
            using var json = JsonDocument.Parse(data);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [("data", data)];
            }

            return [.. json.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                .Select(p => (p.Name, Text(p.Name, p.Value)))];
        }
        catch (JsonException)
        {
            return [("data", data)];
        }
    }

    private static string Text(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => v.ToString())),
        JsonValueKind.Number when name.EndsWith("At", StringComparison.Ordinal) && value.TryGetInt64(out var ms) =>
            DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
