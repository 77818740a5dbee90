using Gatehouse.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gatehouse.Core.Yaml;

internal sealed partial class YamlReader
{
    // Past this many keys a mapping gets an index, so a hostile file with many keys stays linear.
    private const int LinearKeySearchLimit = 8;

    private YamlNode? ReadNode(ParsingEvent node, int depth)
    {
        if (node is AnchorAlias || node is NodeEvent { Anchor.IsEmpty: false })
        {
            return Fail(DiagnosticCodes.AnchorOrAlias, node.Start.Line, node.Start.Column,
                "anchors and aliases are not supported in manifests; write the value out in full");
        }

        if (node is NodeEvent { Tag.IsEmpty: false } tagged)
        {
            return Fail(DiagnosticCodes.TagNotSupported, node.Start.Line, node.Start.Column,
                $"YAML tags ('{tagged.Tag}') are not supported in manifests; remove the tag");
        }

        if (node is Scalar scalar)
        {
            if (blockScalars is not null && scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded)
            {
                blockScalars.Add((ToInt(scalar.Start.Line), ToInt(scalar.End.Line)));
            }

            return new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, ToInt(scalar.Start.Line), ToInt(scalar.Start.Column));
        }

        if (depth > MaxDepth)
        {
            return Fail(DiagnosticCodes.NestingTooDeep, node.Start.Line, node.Start.Column,
                $"lists and mappings are nested more than {MaxDepth} levels deep here; a manifest never needs that");
        }

        return node switch
        {
            SequenceStart => ReadSequence(new YamlSequence(ToInt(node.Start.Line), ToInt(node.Start.Column)), depth),
            MappingStart => ReadMapping(new YamlMapping(ToInt(node.Start.Line), ToInt(node.Start.Column)), depth),
            _ => Fail(DiagnosticCodes.YamlSyntax, node.Start.Line, node.Start.Column, $"invalid YAML: unexpected {node.GetType().Name}"),
        };
    }

    private YamlSequence? ReadSequence(YamlSequence sequence, int depth)
    {
        while (Next())
        {
            if (Current is SequenceEnd)
            {
                return sequence;
            }

            if (ReadNode(Current, depth + 1) is not { } item)
            {
                return null;
            }

            sequence.Items.Add(item);
        }

        return null;
    }

    private YamlNode? ReadMapping(YamlMapping mapping, int depth)
    {
        Dictionary<string, YamlScalar>? index = null;
        while (Next())
        {
            if (Current is MappingEnd)
            {
                return mapping;
            }

            if (Current is not Scalar && Current is not AnchorAlias)
            {
                return Fail(DiagnosticCodes.ComplexKey, Current.Start.Line, Current.Start.Column,
                    "a key must be a plain name, not a list or a mapping");
            }

            if (ReadNode(Current, depth + 1) is not YamlScalar key || !Next() || ReadNode(Current, depth + 1) is not { } value)
            {
                return null;
            }

            if (FindKey(mapping, index, key.Value) is { } first)
            {
                findings.Add(Diagnostic.Error(DiagnosticCodes.DuplicateKey, key.At(file),
                    $"duplicate key '{key.Value}' (first defined on line {first.Line}); keep only one"));
                continue;
            }

            mapping.Entries.Add(new YamlEntry(key, value));
            if (index is not null)
            {
                index[key.Value] = key;
            }
            else if (mapping.Entries.Count == LinearKeySearchLimit)
            {
                index = mapping.Entries.ToDictionary(e => e.Key.Value, e => e.Key, StringComparer.Ordinal);
            }
        }

        return null;
    }

    private static YamlScalar? FindKey(YamlMapping mapping, Dictionary<string, YamlScalar>? index, string key)
    {
        if (index is not null)
        {
            return index.GetValueOrDefault(key);
        }

        foreach (var entry in mapping.Entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Key;
            }
        }

        return null;
    }
}
