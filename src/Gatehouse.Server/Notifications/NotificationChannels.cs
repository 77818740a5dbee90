using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Notifications;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Gatehouse.Server.Notifications;

/// <summary>Sends messages to a target of each kind. A failure is an exception with a message safe to store (no secret in it).</summary>
internal sealed class NotificationChannels(HttpClient http, IConfiguration config, NotificationOptions options, TimeProvider time)
{
    /// <param name="deliveryId">The webhook-id: one per delivery, the same on every retry.</param>
    public async Task SendAsync(NotificationTarget target, string deliveryId, IReadOnlyList<NotificationMessage> messages, string publicUrl, CancellationToken ct)
    {
        switch (target.Kind)
        {
            case NotificationKind.Webhook:
                await WebhookAsync(target, deliveryId, messages[0], publicUrl, ct);
                break;
            case NotificationKind.Slack:
                await PostJsonAsync(Url(target), Slack(messages), ct);
                break;
            case NotificationKind.Teams:
                await PostJsonAsync(Url(target), Teams(messages), ct);
                break;
            default:
                await EmailAsync(target, deliveryId, messages, ct);
                break;
        }
    }

    private async Task WebhookAsync(NotificationTarget target, string deliveryId, NotificationMessage message, string publicUrl, CancellationToken ct)
    {
        var secret = Setting(target.SecretEnv!);
        var key = WebhookSignature.Key(secret) ?? throw new DeliveryException($"{target.SecretEnv} is not a whsec_ secret (base64 of at least 16 bytes)");
        var body = message.CloudEvent(publicUrl);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", deliveryId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(key, deliveryId, timestamp, body));
        await SendAsync(request, ct);
    }

    private async Task PostJsonAsync(string url, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        await SendAsync(request, ct);
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new DeliveryException($"{request.RequestUri?.Host}: {e.HttpRequestError}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryException($"{request.RequestUri?.Host}: no answer within {options.RequestTimeout.TotalSeconds:0.#} s", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new DeliveryException($"{request.RequestUri?.Host} answered {(int)response.StatusCode}");
            }
        }
    }

    // Slack mrkdwn: &, < and > are escaped so a reason cannot mention @channel or forge a link.
    private static JsonObject Slack(IReadOnlyList<NotificationMessage> messages)
    {
        static string Escape(string? text) => (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        var blocks = new JsonArray();
        foreach (var m in messages)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(m.Title)}*\n{Escape(m.Detail)}\n<{m.Link}|Open in Gatehouse>" },
            });
        }

        var text = messages.Count == 1 ? messages[0].Title : $"Gatehouse: {messages.Count} events today";
        return new JsonObject { ["text"] = Escape(text), ["blocks"] = blocks };
    }

    // An Office 365 connector MessageCard: one section per event with a link to it.
    private static JsonObject Teams(IReadOnlyList<NotificationMessage> messages)
    {
        static string Escape(string? text) => System.Net.WebUtility.HtmlEncode(text ?? "");
        var sections = new JsonArray();
        foreach (var m in messages)
        {
            sections.Add(new JsonObject { ["activityTitle"] = Escape(m.Title), ["text"] = Escape(m.Detail) + $" [Open in Gatehouse]({m.Link})" });
        }

        var summary = messages.Count == 1 ? messages[0].Title : $"Gatehouse: {messages.Count} events today";
        return new JsonObject
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = Escape(summary),
            ["title"] = Escape(summary),
            ["sections"] = sections,
            ["potentialAction"] = new JsonArray(new JsonObject
            {
                ["@type"] = "OpenUri",
                ["name"] = "Open in Gatehouse",
                ["targets"] = new JsonArray(new JsonObject { ["os"] = "default", ["uri"] = messages[0].Link }),
            }),
        };
    }

    private async Task EmailAsync(NotificationTarget target, string deliveryId, IReadOnlyList<NotificationMessage> messages, CancellationToken ct)
    {
        var smtp = options.Smtp ?? throw new DeliveryException("GATEHOUSE_SMTP_HOST is not set");
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var to in target.To)
        {
            mail.To.Add(MailboxAddress.Parse(to));
        }

        // The delivery id is the Message-ID: a retry after a lost answer is recognisably the same mail.
        mail.MessageId = $"{deliveryId}@gatehouse";
        mail.Subject = messages.Count == 1 ? messages[0].Title : $"Gatehouse: {messages.Count} events today";
        var text = new StringBuilder();
        foreach (var m in messages)
        {
            text.Append(m.Title).Append('\n').Append(m.Detail).Append('\n').Append(m.Link).Append("\n\n");
        }

        mail.Body = new TextPart("plain") { Text = text.ToString() };
        using var client = new SmtpClient { Timeout = (int)options.RequestTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, ct);
            if (smtp.User is not null)
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            }

            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException or MailKit.ProtocolException
            or MailKit.CommandException or System.Net.Sockets.SocketException or IOException or AuthenticationException or TimeoutException)
        {
            throw new DeliveryException($"SMTP {smtp.Host}:{smtp.Port}: {e.GetType().Name}", e);
        }
    }

    private string Url(NotificationTarget target)
    {
        var url = Setting(target.UrlEnv!);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? url
            : throw new DeliveryException($"{target.UrlEnv} is not an http(s) URL");
    }

    private string Setting(string name) =>
        config[name] is { Length: > 0 } value ? value : throw new DeliveryException($"{name} is not set on this server");
}

/// <summary>A delivery that did not go through; its message names no secret.</summary>
internal sealed class DeliveryException(string message, Exception? inner = null) : Exception(message, inner);
