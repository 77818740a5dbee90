using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// Turns a YAML file into the JSON tree a schema is evaluated against, typing plain scalars the way
/// editors do (YAML 1.2 core schema): <c>true</c> is a boolean and <c>42</c> a number, while quoted
/// scalars stay strings. <c>.inf</c> and <c>.nan</c> have no JSON form and stay strings.
/// </summary>
internal static partial class YamlToJson
{
    public static JsonElement Load(string path) => Convert(File.ReadAllText(path));

    public static JsonElement Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1)
        {
            throw new InvalidOperationException($"Expected one YAML document, found {stream.Documents.Count}.");
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, stream.Documents[0].RootNode);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName(((YamlScalarNode)key).Value ?? "");
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new NotSupportedException($"Unexpected YAML node {node.NodeType}.");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            writer.WriteStringValue(text);
        }
        else if (NullPattern().IsMatch(text))
        {
            writer.WriteNullValue();
        }
        else if (BoolPattern().IsMatch(text))
        {
            writer.WriteBooleanValue(text.StartsWith('t') || text.StartsWith('T'));
        }
        else if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            writer.WriteNumberValue(hex);
        }
        else if (OctalPattern().IsMatch(text))
        {
            writer.WriteNumberValue(System.Convert.ToInt64(text[2..], 8));
        }
        else if (NumberPattern().IsMatch(text))
        {
            writer.WriteNumberValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    [GeneratedRegex("^(~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^0o[0-7]+$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();
}
