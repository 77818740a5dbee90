using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

internal sealed partial class ManifestValidator
{
    private static readonly string[] DeprecationKeys = ["message", "replacedBy"];

    private ScopeDeprecation? ReadDeprecation(YamlNode value, string? scope, List<(string, YamlNode, string)> replacements)
    {
        if (value is YamlScalar { IsNull: false } scalar)
        {
            return DeprecationMessage(scalar) is { } text ? new ScopeDeprecation(text, null) : null;
        }

        if (value is not YamlMapping map)
        {
            check.WrongType(value, "deprecated", "a message, or a mapping with message and replacedBy");
            return null;
        }

        string? message = null, replacedBy = null;
        foreach (var (key, item) in map.Entries)
        {
            switch (key.Value)
            {
                case "message": message = item is YamlScalar { IsNull: false } written ? DeprecationMessage(written) : Wrong(item); break;
                case "replacedBy": replacedBy = ReplacedBy(item, scope, replacements); break;
                default: check.UnknownKey(key, "deprecated", DeprecationKeys); break;
            }
        }

        if (map.Entries.Count == 0)
        {
            check.Error(DiagnosticCodes.InvalidDeprecation, map, "deprecated needs a message or replacedBy");
        }

        return message is null && replacedBy is null ? null : new ScopeDeprecation(message ?? $"Use {replacedBy} instead", replacedBy);
    }

    private string? Wrong(YamlNode item)
    {
        check.WrongType(item, "deprecated message", "text");
        return null;
    }

    private string? ReplacedBy(YamlNode item, string? scope, List<(string, YamlNode, string)> replacements)
    {
        var replacedBy = ScopeName(item, "replacedBy");
        if (replacedBy is not null && scope is not null)
        {
            replacements.Add((replacedBy, item, scope));
        }

        return replacedBy;
    }

    private string? DeprecationMessage(YamlScalar text)
    {
        // 'deprecated: true' reads naturally but says nothing about what to use instead.
        if (text.IsPlain && text.Value is "true" or "false" or "yes" or "no" or "True" or "False")
        {
            check.Error(DiagnosticCodes.InvalidDeprecation, text,
                $"deprecated takes a message saying what to use instead, not '{text.Value}', e.g. 'deprecated: Use invoices.read instead'");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text.Value))
        {
            check.Error(DiagnosticCodes.InvalidDeprecation, text, "the deprecation message is blank; say what to use instead");
            return null;
        }

        return check.Text(text, "deprecated message");
    }
}
