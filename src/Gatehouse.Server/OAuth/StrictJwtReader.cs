using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// The strict gate in front of Microsoft.IdentityModel for JWTs that strangers send (client
/// assertions, tokens to introspect). IdentityModel keeps the last of two members with the same
/// name, so a header <c>{"alg":"ES256",…,"alg":"none"}</c> means one thing to it and possibly
/// another to a proxy or log reader; RFC 7515 and RFC 7519 (section 4 of each) let a recipient refuse it,
/// and we do, at every depth. Also refused: anything but three base64url parts (no JWE),
/// registered members of the wrong JSON type, and any <c>crit</c> header (we understand no
/// extension, RFC 7515 section 4.1.11). What passes is read by IdentityModel alone.
/// </summary>
internal static class StrictJwtReader
{
    private const int MaxDepth = 16;
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = MaxDepth };
    private static readonly string[] StringHeaders = ["alg", "kid", "typ", "cty"];
    private static readonly string[] StringClaims = ["iss", "sub", "jti", "client_id", "scope"];
    private static readonly string[] NumberClaims = ["exp", "nbf", "iat"];

    /// <summary>The token, or what is wrong with it, phrased to follow "the JWT …".</summary>
    public static (JsonWebToken? Token, string? Problem) Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return (null, "is not a signed JWT (compact JWS: three base64url parts).");
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]), Strict);
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]), Strict);
            _ = Base64Url.DecodeFromChars(parts[2]);
            var problem = Check("header", header.RootElement, StringHeaders, [])
                ?? Check("payload", payload.RootElement, StringClaims, NumberClaims)
                ?? (header.RootElement.TryGetProperty("crit", out _) ? "header has `crit`: no JWS extension is supported." : null)
                ?? Audience(payload.RootElement);
            return problem is null ? (new JsonWebToken(token), null) : (null, problem);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, "is not a signed JWT (compact JWS: three base64url parts).");
        }
    }

    private static string? Check(string part, JsonElement root, string[] strings, string[] numbers)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"{part} is not a JSON object.";
        }

        if (Duplicate(root) is { } name)
        {
            return $"{part} has the member `{name}` more than once.";
        }

        foreach (var member in root.EnumerateObject())
        {
            if ((strings.Contains(member.Name) && member.Value.ValueKind != JsonValueKind.String)
                || (numbers.Contains(member.Name) && member.Value.ValueKind != JsonValueKind.Number))
            {
                return $"{part} member `{member.Name}` has the wrong JSON type.";
            }
        }

        return null;
    }

    /// <summary>The first member name that appears twice in one object, at any depth (JsonDocument keeps both).</summary>
    private static string? Duplicate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    if (!seen.Add(member.Name))
                    {
                        return member.Name;
                    }

                    if (Duplicate(member.Value) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;

            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Duplicate(item) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;

            default:
                return null;
        }
    }

    private static string? Audience(JsonElement payload) =>
        !payload.TryGetProperty("aud", out var aud) || aud.ValueKind == JsonValueKind.String
        || (aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String))
            ? null
            : "payload member `aud` must be a string or an array of strings.";
}
