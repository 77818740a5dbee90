using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Server.OAuth;

/// <summary>A JWS in compact serialization, split and decoded but not yet verified.</summary>
internal sealed class CompactJws
{
    private CompactJws(JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, which the signature covers.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string? Algorithm => HeaderString("alg");

    public string? HeaderString(string name) => Header.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public string? ClaimString(string name) => Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public long? ClaimNumber(string name) => Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    /// <summary>The <c>aud</c> claim as a list, whether written as a string or an array.</summary>
    public IReadOnlyList<string> Audiences() => Payload.TryGetProperty("aud", out var aud) ? aud.ValueKind switch
    {
        JsonValueKind.String => [aud.GetString()!],
        JsonValueKind.Array => [.. aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
        _ => [],
    } : [];

    /// <summary>Parses three base64url parts whose first two are JSON objects; anything else (JWE, junk) is null.</summary>
    public static CompactJws? TryParse(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
            if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var signature = Base64Url.DecodeFromChars(parts[2]);
            return new CompactJws(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
