using System.Text;
using System.Text.Unicode;
using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Yaml;

/// <summary>Checks on the raw bytes before any YAML parsing: size, UTF-8 validity, BOM.</summary>
internal static class YamlInput
{
    /// <summary>The documented limit for one file: 1 MiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes the content, or returns null and the single diagnostic that explains why not.</summary>
    public static string? Decode(string file, ReadOnlySpan<byte> content, out Diagnostic? problem)
    {
        problem = null;
        if (content.Length > MaxBytes)
        {
            problem = TooLarge(file, content.Length);
            return null;
        }

        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (content.StartsWith(bom))
        {
            content = content[bom.Length..];
        }

        // Utf8.IsValid is vectorised; the slow search for the position only runs on bad input.
        if (!Utf8.IsValid(content))
        {
            var (line, column) = FirstInvalidByte(content, out var offset);
            problem = Diagnostic.Error(DiagnosticCodes.InvalidUtf8, new SourceLocation(file, line, column),
                $"the file is not valid UTF-8 (byte 0x{content[offset]:X2} at byte offset {offset}); save it as UTF-8");
            return null;
        }

        return StrictUtf8.GetString(content);
    }

    public static Diagnostic TooLarge(string file, long length) =>
        Diagnostic.Error(DiagnosticCodes.FileTooLarge, SourceLocation.WholeFile(file),
            $"the file is {length:N0} bytes; manifests are limited to {MaxBytes:N0} bytes (1 MiB); split it or remove what does not belong in it");

    private static (int Line, int Column) FirstInvalidByte(ReadOnlySpan<byte> content, out int offset)
    {
        int line = 1, column = 1;
        offset = 0;
        while (offset < content.Length)
        {
            var status = Rune.DecodeFromUtf8(content[offset..], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return (line, column);
            }

            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                // Columns count UTF-16 units, as the YAML parser's marks do.
                column += rune.Utf16SequenceLength;
            }

            offset += consumed;
        }

        return (line, column);
    }
}
