namespace Gatehouse.Core.Validation;

/// <summary>
/// Finds an item by name among those read so far. A manifest's lists are short, so a linear
/// scan (no allocation) is the fast path; a long list gets a dictionary so hostile input stays linear.
/// </summary>
internal sealed class NameIndex<T>(int expectedCount, Func<T, string> nameOf)
    where T : class
{
    private const int LinearLimit = 16;

    private readonly Dictionary<string, T>? index = expectedCount > LinearLimit ? new(StringComparer.Ordinal) : null;

    public T? Find(List<T> items, string name)
    {
        if (index is not null)
        {
            return index.GetValueOrDefault(name);
        }

        foreach (var item in items)
        {
            if (string.Equals(nameOf(item), name, StringComparison.Ordinal))
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>Records the item just appended to <paramref name="items"/>.</summary>
    public void Added(List<T> items)
    {
        if (index is not null)
        {
            var item = items[^1];
            index.TryAdd(nameOf(item), item);
        }
    }
}
