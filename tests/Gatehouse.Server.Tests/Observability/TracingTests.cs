using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>
/// Traces by OTLP (ADR 0028), against a real OTLP/HTTP receiver on loopback: a request's span,
/// named by its route, reaches it with the embedded store's span; with no endpoint configured no
/// tracer exists at all.
/// </summary>
[Collection(PrometheusText.Collection)]
public sealed class TracingTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_the_request_and_store_spans_reach_the_receiver()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var server = await TestServer.StartWithAsync("--GATEHOUSE_OTLP_ENDPOINT=" + receiver.Url, "--OTEL_BSP_SCHEDULE_DELAY=100");
        try
        {
            Assert.NotNull(server.Services.GetService<TracerProvider>());
            await server.SeedAsync();
            using var admin = server.Client(server.AdminToken);
            var decision = await admin.PostAsJsonAsync("api/v1/decisions", new { app = "billing", scope = "customers:profile.read", environment = "production" });
            Assert.Equal(200, (int)decision.StatusCode);
        }
        finally
        {
            // Stopping the server flushes what the batch processor still holds.
            await server.DisposeAsync();
        }

        var traces = receiver.Bodies("/v1/traces");
        Assert.NotEmpty(traces);
        Assert.All(receiver.ContentTypes("/v1/traces"), t => Assert.Equal("application/x-protobuf", t));
        var all = Encoding.UTF8.GetString([.. traces.SelectMany(b => b)]);
        Assert.Contains("POST /api/v1/decisions", all, StringComparison.Ordinal);
        Assert.Contains("sqlite read", all, StringComparison.Ordinal);
        Assert.Contains("sqlite write", all, StringComparison.Ordinal);
        Assert.Contains("gatehouse", all, StringComparison.Ordinal); // service.name
        Assert.DoesNotContain(TestServer.BootstrapToken, all, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task With_PostgreSQL_Npgsql_spans_reach_the_receiver_and_its_metrics_are_on_metrics()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync("gh_otel");
        await using var receiver = await OtlpReceiver.StartAsync();
        var server = await TestServer.StartOnPostgresWithAsync(database, "--GATEHOUSE_OTLP_ENDPOINT=" + receiver.Url, "--OTEL_BSP_SCHEDULE_DELAY=100");
        string metrics;
        try
        {
            await server.SeedAsync();
            using var anonymous = server.Client(token: null);
            metrics = await PrometheusText.ScrapeAsync(anonymous);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Contains(PrometheusText.Parse(metrics), s => s.Name.StartsWith("db_client_", StringComparison.Ordinal));
        var all = Encoding.UTF8.GetString([.. receiver.Bodies("/v1/traces").SelectMany(b => b)]);
        Assert.Contains("POST /api/v1/push", all, StringComparison.Ordinal);
        Assert.Contains("postgresql", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_endpoint_there_is_no_tracer()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    /// <summary>Accepts OTLP/HTTP posts on loopback and keeps their bodies by path.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _posts = new();

        private OtlpReceiver(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new OtlpReceiver(app);
            app.MapPost("/v1/{signal}", async (HttpContext http) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                receiver._posts.Enqueue((http.Request.Path.Value!, http.Request.ContentType, body.ToArray()));
                http.Response.ContentType = "application/x-protobuf";
                await http.Response.Body.WriteAsync(ReadOnlyMemory<byte>.Empty);
            });
            await app.StartAsync();
            receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return receiver;
        }

        public IReadOnlyList<byte[]> Bodies(string path) => [.. _posts.Where(p => p.Path == path).Select(p => p.Body)];

        public IReadOnlyList<string?> ContentTypes(string path) => [.. _posts.Where(p => p.Path == path).Select(p => p.ContentType)];

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
