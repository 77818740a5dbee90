using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// The validated models are stored as JSON beside the source text they came from, so the
/// store never needs the YAML reader to give a model back.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AppManifest))]
[JsonSerializable(typeof(OrganisationFile))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

internal static class StoreJson
{
    // Relaxed escaping keeps "billing -> customers" readable in the table; readers encode for their output.
    private static readonly JsonWriterOptions DataOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_dataBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_dataWriter;

    public static string Serialize(AppManifest manifest) => JsonSerializer.Serialize(manifest, StoreJsonContext.Default.AppManifest);

    public static string Serialize(OrganisationFile organisation) => JsonSerializer.Serialize(organisation, StoreJsonContext.Default.OrganisationFile);

    public static AppManifest ReadManifest(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.AppManifest) ?? throw new InvalidDataException("Stored manifest is null.");

    public static OrganisationFile ReadOrganisation(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.OrganisationFile) ?? throw new InvalidDataException("Stored organisation is null.");

    /// <summary>A small JSON object for an audit event's data; values are strings, numbers or string lists.</summary>
    public static string Data(params (string Name, object? Value)[] fields)
    {
        // One buffer and writer per thread, reset for each event: a push of a million grants writes
        // three million of these (ADR 0042). The call never awaits, so nothing else uses them meanwhile.
        var buffer = t_dataBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_dataWriter ??= new Utf8JsonWriter(buffer, DataOptions);
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            writer.WritePropertyName(name);
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case IEnumerable<string> list:
                    writer.WriteStartArray();
                    foreach (var item in list)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        writer.WriteEndObject();
        writer.Flush();

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            t_dataBuffer = null; // a rare large event does not stay allocated
            t_dataWriter = null;
        }

        return json;
    }
}
