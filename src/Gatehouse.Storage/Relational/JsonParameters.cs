using System.Buffers;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Lists travel as one JSON parameter, unpacked in SQL (json_each / json_array_elements), so a
/// query's text never depends on how many items it gets: one cached statement, no parameter
/// limits, no N+1.
/// </summary>
internal static class JsonParameters
{
    public static string Texts(IEnumerable<string> values) => Write(w =>
    {
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
    });

    public static string Ids(IEnumerable<long> values) => Write(w =>
    {
        foreach (var value in values)
        {
            w.WriteNumberValue(value);
        }
    });

    public static string Keys(IEnumerable<AccessKey> keys) => Write(w =>
    {
        foreach (var key in keys)
        {
            w.WriteStartArray();
            w.WriteStringValue(key.Consumer);
            w.WriteStringValue(key.Provider);
            w.WriteStringValue(key.Scope);
            w.WriteStringValue(key.Environment);
            w.WriteEndArray();
        }
    });

    public static string Scopes(IEnumerable<(string App, string Scope)> scopes) => Write(w =>
    {
        foreach (var (app, scope) in scopes)
        {
            w.WriteStartArray();
            w.WriteStringValue(app);
            w.WriteStringValue(scope);
            w.WriteEndArray();
        }
    });

    private static string Write(Action<Utf8JsonWriter> items)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            items(writer);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
