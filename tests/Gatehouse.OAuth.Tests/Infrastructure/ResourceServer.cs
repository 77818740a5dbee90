using Gatehouse.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.OAuth.Tests.Infrastructure;

/// <summary>
/// A service that receives Gatehouse tokens, built like examples/sample-service: the
/// Gatehouse.AspNetCore handler and one RequireScope per endpoint, on 127.0.0.1.
/// </summary>
internal sealed class ResourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourceServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ResourceServer> StartAsync(string authority, string app, string environment, Action<GatehouseTokenOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddGatehouseTokens(o =>
        {
            o.Authority = authority;
            o.App = app;
            o.Environment = environment;
            o.RequireHttpsMetadata = false;
            configure?.Invoke(o);
        });
        var web = builder.Build();
        web.UseAuthentication();
        web.UseAuthorization();
        web.MapGet("/profiles/{id}", (string id, HttpContext http) => Results.Ok(new { id, caller = http.User.Identity!.Name }))
            .RequireScope("customers:profile.read");
        web.MapPut("/profiles/{id}", (string id) => Results.NoContent())
            .RequireScope("customers:profile.write");
        await web.StartAsync();
        var url = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ResourceServer(web, url);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
