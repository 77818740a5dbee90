using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gatehouse.Server.Api;

/// <summary>
/// Reads a hot path's JSON body by hand when it has the shape clients send, and through the
/// serializer otherwise (ADR 0041). The serializer's reading of records with constructor
/// parameters was a third of a check's own CPU; a parser for the one canonical shape (the
/// API's camelCase names, each once, strings or null where strings go) costs a tenth of that.
/// Anything else (another letter case, an unknown or repeated property, a number where a string
/// goes, malformed JSON) is read by the serializer with <see cref="ApiJson.Options"/>, exactly as
/// the endpoint bound it before, so it gets the same value or the same error, with the same path
/// and position.
/// </summary>
internal static class HotJson
{
    /// <summary>A parser for the canonical shape: false when the body is anything else, and the serializer decides.</summary>
    public delegate bool Parser<T>(ref Utf8JsonReader reader, out T? value);

    /// <summary>
    /// The body as <typeparamref name="T"/>, as minimal API binding gives it: 415 without a JSON
    /// content type, 400 (with the <see cref="JsonException"/> inside) for JSON that does not
    /// fit, 400 for no body or <c>null</c>. Null only when the client went away mid-body.
    /// </summary>
    public static async ValueTask<T?> ReadAsync<T>(HttpContext http, Parser<T> parser)
        where T : class
    {
        var request = http.Request;
        // The types clients send, compared as they are; anything else is parsed as a media type.
        if (request.ContentType is not ("application/json" or "application/json; charset=utf-8") && !request.HasJsonContentType())
        {
            throw new BadHttpRequestException($"Expected a supported JSON media type but got \"{request.ContentType}\".", StatusCodes.Status415UnsupportedMediaType);
        }

        var body = request.BodyReader;
        ReadResult read;
        try
        {
            read = await body.ReadAsync(http.RequestAborted);
            while (!read.IsCompleted && !read.IsCanceled)
            {
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                read = await body.ReadAsync(http.RequestAborted);
            }
        }
        catch (IOException)
        {
            // The client disconnected: nobody is left to answer (minimal API binding does the same).
            return null;
        }

        try
        {
            return Parse(read.Buffer, parser) ?? throw new BadHttpRequestException($"Required parameter \"{typeof(T).Name} body\" was not provided from body.", StatusCodes.Status400BadRequest);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException($"Failed to read parameter \"{typeof(T).Name} body\" from the request body as JSON.", StatusCodes.Status400BadRequest, e);
        }
        finally
        {
            body.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>The body parsed by <paramref name="parser"/> when it can, else by the serializer; null for an empty body or <c>null</c>.</summary>
    internal static T? Parse<T>(ReadOnlySequence<byte> json, Parser<T> parser)
        where T : class
    {
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            var fast = new Utf8JsonReader(json);
            if (parser(ref fast, out var value) && !fast.Read())
            {
                return value;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed (or text no string can hold): the serializer says where, in its own words.
        }

        // The span overload, as binding read it: it also refuses anything after the value.
        return JsonSerializer.Deserialize<T>(json.IsSingleSegment ? json.FirstSpan : json.ToArray(), ApiJson.Options);
    }

    /// <summary>A string or null; false for any other token.</summary>
    public static bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            value = reader.GetString();
            return true;
        }

        return reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>
    /// An array of objects or nulls, the reader on its start: each object is read by
    /// <paramref name="item"/> (which leaves the reader on its end), each null added as null; false
    /// for anything else.
    /// </summary>
    public static bool TryArray<T>(ref Utf8JsonReader reader, List<T> items, Parser<T> item)
        where T : class
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    return true;
                case JsonTokenType.Null:
                    items.Add(null!);
                    break;
                case JsonTokenType.StartObject when item(ref reader, out var value):
                    items.Add(value!);
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Reads the next token, which must be <paramref name="expected"/>.</summary>
    public static bool Next(ref Utf8JsonReader reader, JsonTokenType expected) => reader.Read() && reader.TokenType == expected;
}

/// <summary>
/// A hot path's answer written by hand with a <see cref="Utf8JsonWriter"/> into a buffer the
/// thread keeps, then copied to the response with its Content-Length (ADR 0041): no
/// intermediate array, no serializer metadata walk. The writers produce exactly what
/// <see cref="ApiJson.Options"/> would (tests compare them byte for byte).
/// </summary>
internal sealed class HotJsonResult<T>(T body, Action<Utf8JsonWriter, T> write) : IResult, IStatusCodeHttpResult
{
    private const int KeepAtMost = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public int? StatusCode => StatusCodes.Status200OK;

    public T Body => body;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        write(writer, body);
        writer.Flush();
        var done = HotJsonAnswer.WriteAsync(httpContext, buffer.WrittenSpan);
        if (buffer.Capacity > KeepAtMost)
        {
            // A rare big answer (a check of thousands of needs) is not kept by the thread.
            t_buffer = null;
            t_writer = null;
        }

        return done;
    }

    /// <summary>The answer as the writer makes it, in an array of its own: for an answer kept and sent again (<c>me</c>), and for tests.</summary>
    internal byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, body);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>A JSON answer already made: 200, <c>application/json</c>, its Content-Length, the bytes copied to the response.</summary>
internal static class HotJsonAnswer
{
    public static Task WriteAsync(HttpContext httpContext, ReadOnlySpan<byte> json)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        var pipe = response.BodyWriter;
        pipe.Write(json);
        var flushed = pipe.FlushAsync(httpContext.RequestAborted);
        return flushed.IsCompletedSuccessfully ? Task.CompletedTask : flushed.AsTask();
    }
}

/// <summary>An enum's values as <see cref="ApiJson.Options"/> writes them (kebab-case), encoded once.</summary>
internal static class JsonEnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, JsonEncodedText> Names = Enum.GetValues<TEnum>().ToDictionary(
        v => v, v => JsonEncodedText.Encode(JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), JavaScriptEncoder.Default));

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> property, TEnum value)
    {
        if (Names.TryGetValue(value, out var name))
        {
            writer.WriteString(property, name);
            return;
        }

        // A value the enum does not name is written as the serializer writes it (a number).
        writer.WritePropertyName(property);
        JsonSerializer.Serialize(writer, value, ApiJson.Options);
    }
}
