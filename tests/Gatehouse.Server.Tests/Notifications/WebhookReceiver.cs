using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>What a receiver got: the Standard Webhooks headers and the body, as sent.</summary>
internal sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string ContentType, string Body);

/// <summary>
/// A real HTTP receiver (Kestrel) on 127.0.0.1. While <see cref="Down"/> it answers 503 and keeps
/// nothing; otherwise it keeps each request in arrival order and answers 204.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public volatile bool Down;

    /// <summary>Requests refused while down.</summary>
    public int Refused => _refused;

    private int _refused;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        WebhookReceiver? receiver = null;
        app.MapPost("/{**path}", async (HttpContext context, string? path) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (receiver!.Down)
            {
                Interlocked.Increment(ref receiver._refused);
                return Results.StatusCode(503);
            }

            var headers = context.Request.Headers;
            receiver.Received.Enqueue(new ReceivedWebhook("/" + path, headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(),
                headers["webhook-signature"].ToString(), context.Request.ContentType ?? "", body));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new WebhookReceiver(app, new Uri(address));
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or fails after <paramref name="seconds"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!done([.. Received]))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"the receiver got {Received.Count} webhook(s) in {seconds} s: " + string.Join(", ", Received.Select(r => r.Path + " " + Type(r))));
            }

            await Task.Delay(50);
        }
    }

    public static string Type(ReceivedWebhook webhook) =>
        System.Text.Json.Nodes.JsonNode.Parse(webhook.Body)?["type"]?.GetValue<string>() ?? "(not a CloudEvent)";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
