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
    public static string Serialize(AppManifest manifest) => JsonSerializer.Serialize(manifest, StoreJsonContext.Default.AppManifest);

    public static string Serialize(OrganisationFile organisation) => JsonSerializer.Serialize(organisation, StoreJsonContext.Default.OrganisationFile);

    public static AppManifest ReadManifest(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.AppManifest) ?? throw new InvalidDataException("Stored manifest is null.");

    public static OrganisationFile ReadOrganisation(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.OrganisationFile) ?? throw new InvalidDataException("Stored organisation is null.");

    /// <summary>A small JSON object for an audit event's data; values are strings, numbers or string lists.</summary>
    public static string Data(params (string Name, object? Value)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps "billing -> customers" readable in the table; readers encode for their output.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
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
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
