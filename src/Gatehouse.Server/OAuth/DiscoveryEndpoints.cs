using System.Text.Json;
using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.Server.OAuth;

/// <summary>Authorization server metadata (RFC 8414) and the JWKS that resource servers verify tokens with.</summary>
internal static class DiscoveryEndpoints
{
    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] AssertionAlgorithms = ["ES256", "RS256", "PS256"];
    private static readonly string[] GrantTypes = ["client_credentials"];

    public static IResult Metadata(HttpContext http, OAuthUrls urls)
    {
        var issuer = urls.Issuer;
        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["token_endpoint"] = issuer + OAuthUrls.TokenPath,
            ["jwks_uri"] = issuer + OAuthUrls.JwksPath,
            ["introspection_endpoint"] = issuer + OAuthUrls.IntrospectionPath,
            ["grant_types_supported"] = GrantTypes,
            ["response_types_supported"] = Array.Empty<string>(),
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["token_endpoint_auth_signing_alg_values_supported"] = AssertionAlgorithms,
            ["introspection_endpoint_auth_methods_supported"] = AuthMethods,
            ["introspection_endpoint_auth_signing_alg_values_supported"] = AssertionAlgorithms,
            ["service_documentation"] = "https://gatehouse.dev/docs/oauth",
        }), "application/json");
    }

    public static async Task<IResult> Jwks(HttpContext http, KeyRing keys, CancellationToken ct)
    {
        // Short enough that a key announced KeyPublishLead ahead is seen long before it signs.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes((await keys.CurrentAsync(ct)).JwksJson, "application/jwk-set+json");
    }
}
