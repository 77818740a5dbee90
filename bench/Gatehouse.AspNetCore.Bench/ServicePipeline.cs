using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.AspNetCore.Bench;

/// <summary>
/// A service's request pipeline, built as examples/sample-service builds it but invoked directly
/// (no sockets): the Gatehouse handler reads its issuer's metadata and JWKS from an in-memory
/// issuer whose ES256 key signed <see cref="Token"/>; the manifest has ten scopes with routes.
/// </summary>
internal sealed class ServicePipeline : IDisposable
{
    private const string Authority = "http://gatehouse.bench";
    private const string Audience = "urn:gatehouse:production:customers";

    private readonly ServiceProvider _services;
    private readonly RequestDelegate _pipeline;
    private readonly string _folder;
    private readonly string _authorization;

    private ServicePipeline(ServiceProvider services, RequestDelegate pipeline, string folder, string token)
    {
        _services = services;
        _pipeline = pipeline;
        _folder = folder;
        Token = token;
        _authorization = "Bearer " + token;
    }

    public string Token { get; }

    public static ServicePipeline Create(bool cacheTokens)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuer = new InMemoryIssuer(key.ExportParameters(false));
        var folder = Directory.CreateTempSubdirectory("gatehouse-aspnetcore-bench-").FullName;
        var manifest = Path.Combine(folder, "gatehouse.yaml");
        File.WriteAllText(manifest, Manifest());

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGatehouseTokens(o =>
        {
            o.Authority = Authority;
            o.App = "customers";
            o.Environment = "production";
            o.RequireHttpsMetadata = false;
            o.Backchannel = new HttpClient(issuer);
            o.TokenCacheSize = cacheTokens ? 10_000 : 0;
        });
        var provider = services.BuildServiceProvider();
        var app = new ApplicationBuilder(provider);
        app.UseAuthentication();
        app.UseGatehouseRoutes(manifest, "/healthz");
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });

        var pipeline = new ServicePipeline(provider, app.Build(), folder, Sign(key));
        var status = pipeline.AuthorizeAsync().GetAwaiter().GetResult();
        return status == StatusCodes.Status200OK ? pipeline
            : throw new InvalidOperationException($"the benchmark request was answered {status}, not 200: the setup is wrong");
    }

    /// <summary>
    /// <c>GET /profiles/42</c> (or <paramref name="path"/>) with the token (unless not <paramref name="withToken"/>), in a fresh request scope as Kestrel gives each
    /// request; the status the pipeline set.
    /// </summary>
    public async Task<int> AuthorizeAsync(string path = "/profiles/42", bool withToken = true)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        if (withToken)
        {
            context.Request.Headers.Authorization = _authorization;
        }

        await _pipeline(context);
        return context.Response.StatusCode;
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Manifest()
    {
        var text = new StringBuilder("apiVersion: gatehouse/v1\napp: customers\nowners: [team:people]\nscopes:\n");
        string[] resources = ["profiles", "addresses", "orders", "invoices", "notes"];
        foreach (var resource in resources)
        {
            text.Append($"  - name: {resource[..^1]}.read\n    description: Read {resource}\n    routes: [\"GET /{resource}/{{id}}\", \"GET /{resource}\"]\n");
            text.Append($"  - name: {resource[..^1]}.write\n    description: Change {resource}\n    routes: [\"PUT /{resource}/{{id}}\", \"POST /{resource}\", \"DELETE /{resource}/{{id}}\"]\n");
        }

        return text.ToString();
    }

    /// <summary>A token as Gatehouse issues it: RFC 9068 at+jwt, ES256, one hour left.</summary>
    private static string Sign(ECDsa key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Part(new Dictionary<string, object> { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = InMemoryIssuer.Kid });
        var payload = Part(new Dictionary<string, object>
        {
            ["iss"] = Authority,
            ["sub"] = "billing",
            ["aud"] = Audience,
            ["client_id"] = "cl_bench",
            ["scope"] = "customers:profile.read customers:order.read",
            ["iat"] = now,
            ["exp"] = now + 3600,
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
        });
        var input = header + "." + payload;
        return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    private static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>The issuer's metadata and JWKS, answered from memory.</summary>
    private sealed class InMemoryIssuer(ECParameters publicKey) : HttpMessageHandler
    {
        public const string Kid = "bench-key";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            object? body = request.RequestUri!.AbsolutePath switch
            {
                "/.well-known/oauth-authorization-server" => new Dictionary<string, string> { ["issuer"] = Authority, ["jwks_uri"] = Authority + "/oauth2/jwks" },
                "/oauth2/jwks" => new Dictionary<string, object>
                {
                    ["keys"] = new[]
                    {
                        new Dictionary<string, string>
                        {
                            ["kty"] = "EC", ["crv"] = "P-256", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = Kid,
                            ["x"] = Base64Url.EncodeToString(publicKey.Q.X), ["y"] = Base64Url.EncodeToString(publicKey.Q.Y),
                        },
                    },
                },
                _ => null,
            };
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") });
        }
    }
}
