using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect issuer on loopback, as GitHub Actions and GitLab CI run one: a discovery
/// document, a JWKS with an RSA and an EC key, and run tokens signed with either, in GitHub's or
/// GitLab's claim shapes. Keys can be rotated to test the refresh on an unknown <c>kid</c>.
/// </summary>
internal sealed class TestCiIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<SecurityKey> _published = [];

    private TestCiIssuer(WebApplication app, Uri url)
    {
        _app = app;
        Issuer = url.ToString().TrimEnd('/');
        Rsa = NewRsa("rsa-1");
        Ec = NewEc("ec-1");
        _published.AddRange([Rsa, Ec]);
    }

    public string Issuer { get; }

    public RsaSecurityKey Rsa { get; private set; }

    public ECDsaSecurityKey Ec { get; }

    /// <summary>How many times the JWKS was read.</summary>
    public int JwksReads { get; private set; }

    public static async Task<TestCiIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestCiIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = issuer!.Issuer,
            ["jwks_uri"] = issuer.Issuer + "/jwks",
        }));
        app.MapGet("/jwks", () =>
        {
            issuer!.JwksReads++;
            var keys = issuer._published.Select(k => JsonWebKeyConverter.ConvertFromSecurityKey(k)).Select(Public).ToList();
            return Results.Text(JsonSerializer.Serialize(new { keys }), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = new TestCiIssuer(app, new Uri(address));
        return issuer;
    }

    /// <summary>A new RSA key replaces the old one in the JWKS, as an issuer's key rotation does.</summary>
    public RsaSecurityKey RotateRsa(string kid)
    {
        _published.Remove(Rsa);
        Rsa = NewRsa(kid);
        _published.Add(Rsa);
        return Rsa;
    }

    /// <summary>The claims GitHub Actions puts in a job's token.</summary>
    public static Dictionary<string, object> GitHubClaims(string repository, string @ref, string actor, string? environment = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["repository"] = repository,
            ["repository_owner"] = repository.Split('/')[0],
            ["ref"] = @ref,
            ["ref_type"] = @ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch",
            ["actor"] = actor,
            ["event_name"] = "push",
            ["workflow"] = "deploy",
            ["run_id"] = "1234567890",
            ["sub"] = $"repo:{repository}:ref:{@ref}",
        };
        if (environment is not null)
        {
            claims["environment"] = environment;
            claims["sub"] = $"repo:{repository}:environment:{environment}";
        }

        return claims;
    }

    /// <summary>The claims GitLab CI puts in an <c>id_tokens:</c> token.</summary>
    public static Dictionary<string, object> GitLabClaims(string projectPath, string @ref, string userLogin, string? environment = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["project_path"] = projectPath,
            ["namespace_path"] = projectPath.Split('/')[0],
            ["ref"] = @ref,
            ["ref_type"] = "branch",
            ["ref_protected"] = "true",
            ["user_login"] = userLogin,
            ["user_email"] = userLogin + "@example.com",
            ["pipeline_source"] = "push",
            ["sub"] = $"project_path:{projectPath}:ref_type:branch:ref:{@ref}",
        };
        if (environment is not null)
        {
            claims["environment"] = environment;
        }

        return claims;
    }

    /// <summary>A signed token; by default from this issuer, for <paramref name="audience"/>, valid for 5 minutes.</summary>
    public string Token(IDictionary<string, object> claims, string audience, SecurityKey? key = null, string? issuer = null,
        TimeSpan? expiresIn = null, DateTime? notBefore = null)
    {
        key ??= Rsa;
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        var algorithm = key switch
        {
            RsaSecurityKey => SecurityAlgorithms.RsaSha256,
            ECDsaSecurityKey => SecurityAlgorithms.EcdsaSha256,
            _ => SecurityAlgorithms.HmacSha256,
        };
        var issuedAt = notBefore ?? (expires < now ? expires.AddMinutes(-10) : now);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with the given claims.</summary>
    public string Unsigned(IDictionary<string, object> claims, string audience)
    {
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        };
        return B64("""{"alg":"none","typ":"JWT","kid":"rsa-1"}""") + "." + B64(JsonSerializer.Serialize(payload)) + ".";
    }

    private static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static RsaSecurityKey NewRsa(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public static ECDsaSecurityKey NewEc(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    private static Dictionary<string, object?> Public(JsonWebKey key)
    {
        var jwk = new Dictionary<string, object?> { ["kty"] = key.Kty, ["kid"] = key.Kid, ["use"] = "sig" };
        if (key.Kty == "RSA")
        {
            (jwk["n"], jwk["e"], jwk["alg"]) = (key.N, key.E, "RS256");
        }
        else
        {
            (jwk["crv"], jwk["x"], jwk["y"], jwk["alg"]) = (key.Crv, key.X, key.Y, "ES256");
        }

        return jwk;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
