using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Cli.Tests.Infrastructure;

/// <summary>A request as it arrived on the wire.</summary>
internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>What the server does with one request.</summary>
internal abstract record Reply
{
    /// <summary>Answers with a status, headers and a JSON body.</summary>
    public sealed record Answer(int Status, string Json = "{}", params (string Name, string Value)[] Headers) : Reply;

    /// <summary>Closes the connection with a TCP reset instead of answering.</summary>
    public sealed record Reset : Reply;

    /// <summary>Reads the request and never answers (until the server is disposed): a server busy beyond the client's patience.</summary>
    public sealed record Silent : Reply;

    /// <summary>Passes the request to a real server; relays its answer, or, when <paramref name="ThenReset"/>, drops it and resets the connection.</summary>
    public sealed record Forward(Uri Upstream, bool ThenReset = false) : Reply;
}

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that fails on cue: each request takes the next scripted
/// <see cref="Reply"/>, then the fallback. Raw sockets, so a failure is what a client sees from a
/// restarting replica: a refused connection (before <see cref="Listen"/>), a reset, a 503.
/// Every request is recorded, and so is every answer a forwarded request got upstream.
/// </summary>
internal sealed class FlakyHttpServer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly ConcurrentQueue<Reply> _script;
    private readonly Reply _fallback;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _upstream = new();
    private Task? _acceptLoop;

    /// <summary>Binds a port; call <see cref="Listen"/> to accept (until then, connections are refused).</summary>
    public FlakyHttpServer(Reply fallback, params Reply[] script)
    {
        _fallback = fallback;
        _script = new ConcurrentQueue<Reply>(script);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/");
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Status and headers of each upstream answer to a forwarded request, in order.</summary>
    public ConcurrentQueue<HttpResponseMessage> UpstreamAnswers { get; } = new();

    /// <summary>A server that is listening already.</summary>
    public static FlakyHttpServer Start(Reply fallback, params Reply[] script)
    {
        var server = new FlakyHttpServer(fallback, script);
        server.Listen();
        return server;
    }

    public void Listen()
    {
        _socket.Listen(16);
        _acceptLoop = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            var request = await ReadRequestAsync(connection);
            if (request is null)
            {
                return;
            }

            Requests.Enqueue(request);
            var reply = _script.TryDequeue(out var next) ? next : _fallback;
            switch (reply)
            {
                case Reply.Answer answer:
                    await WriteAsync(connection, answer.Status, "application/json", Encoding.UTF8.GetBytes(answer.Json), answer.Headers);
                    break;
                case Reply.Reset:
                    Reset(connection);
                    break;
                case Reply.Silent:
                    await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case Reply.Forward { ThenReset: true } forward:
                    await ForwardAsync(request, forward.Upstream);
                    Reset(connection);
                    break;
                case Reply.Forward forward:
                    var upstream = await ForwardAsync(request, forward.Upstream);
                    var headers = upstream.Headers.Where(h => h.Key.StartsWith("Idempotent", StringComparison.Ordinal)).Select(h => (h.Key, string.Join(",", h.Value))).ToArray();
                    await WriteAsync(connection, (int)upstream.StatusCode, upstream.Content.Headers.ContentType?.ToString() ?? "application/json", await upstream.Content.ReadAsByteArrayAsync(), headers);
                    break;
            }
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(ReceivedRequest request, Uri upstream)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, request.Target));
        if (request.Body.Length > 0 || request.Method == "POST")
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.Header("content-type") is { } type)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        foreach (var name in new[] { "authorization", "idempotency-key" })
        {
            if (request.Header(name) is { } value)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var answer = await _upstream.SendAsync(message);
        await answer.Content.LoadIntoBufferAsync();
        UpstreamAnswers.Enqueue(answer);
        return answer;
    }

    private static void Reset(Socket connection)
    {
        connection.LingerState = new LingerOption(true, 0); // close with RST, as a killed process's kernel does
        connection.Close();
    }

    private static async Task<ReceivedRequest?> ReadRequestAsync(Socket connection)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(buffer)) < 0)
        {
            var read = await connection.ReceiveAsync(chunk);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd).Split("\r\n");
        var start = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var length = headers.TryGetValue("content-length", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (buffer.Count < headerEnd + 4 + length)
        {
            var read = await connection.ReceiveAsync(chunk);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        return new ReceivedRequest(start[0], start[1], headers, buffer.GetRange(headerEnd + 4, length).ToArray());
    }

    private static int IndexOfBlankLine(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task WriteAsync(Socket connection, int status, string contentType, byte[] body, (string Name, string Value)[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} Status\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await connection.SendAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        await connection.SendAsync(body);
        connection.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        _upstream.Dispose();
        foreach (var answer in UpstreamAnswers)
        {
            answer.Dispose();
        }

        _stop.Dispose();
    }
}
