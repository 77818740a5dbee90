using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Validation;

/// <summary>A list of names with its positions, for checks that point at one item.</summary>
// A class for the same reason as YamlEntry: List<T> of a struct of ours is jitted at every cold start.
internal sealed record TextItem(string Value, YamlScalar Node);

internal static class TextListChecks
{
    /// <summary>
    /// Reads a list of text items, reporting non-text items, an empty list and repeated items.
    /// Returns null when the node is not a list at all.
    /// </summary>
    public static List<TextItem>? TextList(this NodeChecker check, YamlNode node, string what, string example, string itemWhat)
    {
        if (check.List(node, what, example) is not { } sequence)
        {
            return null;
        }

        if (sequence.Items.Count == 0)
        {
            check.Error(check.Kind.EmptyList, node, $"{what} is empty; list at least one, e.g. {example}");
            return [];
        }

        var items = new List<TextItem>(sequence.Items.Count);
        HashSet<string>? seen = sequence.Items.Count > 8 ? new(StringComparer.Ordinal) : null;
        foreach (var item in sequence.Items)
        {
            if (item is not YamlScalar { IsNull: false } scalar)
            {
                check.WrongType(item, $"each {itemWhat} in {what}", "text");
                continue;
            }

            if (seen is not null ? !seen.Add(scalar.Value) : Contains(items, scalar.Value))
            {
                check.Error(check.Kind.DuplicateItem, scalar, $"{itemWhat} '{scalar.Value}' is listed twice in {what}; keep one");
                continue;
            }

            items.Add(new TextItem(scalar.Value, scalar));
        }

        return items;
    }

    private static bool Contains(List<TextItem> items, string value)
    {
        foreach (var item in items)
        {
            if (string.Equals(item.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
