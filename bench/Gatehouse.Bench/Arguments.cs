namespace Gatehouse.Bench;

/// <summary>Positional arguments and <c>--name value</c> options, nothing more.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> options;

    private Arguments(List<string> positional, Dictionary<string, string> options)
    {
        Positional = positional;
        this.options = options;
    }

    public IReadOnlyList<string> Positional { get; }

    public static Arguments Parse(IEnumerable<string> args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            if (e.Current.StartsWith("--", StringComparison.Ordinal) && e.Current.Length > 2)
            {
                var name = e.Current[2..];
                options[name] = e.MoveNext() ? e.Current : throw new ArgumentException($"--{name} needs a value");
            }
            else
            {
                positional.Add(e.Current);
            }
        }

        return new Arguments(positional, options);
    }

    public string? Option(string name) => options.GetValueOrDefault(name);

    public string Required(string name) => Option(name) ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) => Option(name) is { } text
        ? int.TryParse(text, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'")
        : fallback;
}
