using System.Text;
using System.Text.Json;

namespace Gatehouse.Server.Observability;

/// <summary>
/// With <c>GATEHOUSE_LOG_FORMAT=json</c> every line on standard output is a JSON object (ADR 0028):
/// the lines <c>serve</c> prints itself (the banner, the demo's tokens) are written in the shape
/// of the JSON console logger's lines, in the category <c>Gatehouse.Server</c>. An empty line is
/// left out.
/// </summary>
internal sealed class JsonLinesWriter(TextWriter inner, TimeProvider time) : TextWriter
{
    public const string Category = "Gatehouse.Server";

    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                Flush(_line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    public override void WriteLine() => Write('\n');

    private void Flush(string message)
    {
        if (message.Length == 0)
        {
            return;
        }

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", 0);
            json.WriteString("LogLevel", "Information");
            json.WriteString("Category", Category);
            json.WriteString("Message", message.Trim());
            json.WriteEndObject();
        }

        inner.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        inner.Flush();
    }
}
