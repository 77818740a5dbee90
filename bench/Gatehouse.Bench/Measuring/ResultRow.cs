namespace Gatehouse.Bench.Measuring;

/// <summary>The runs of both commands at one size. Time is the median run; memory the worst run.</summary>
internal sealed class ResultRow(int size)
{
    public int Size { get; } = size;

    public List<Measurement> Validate { get; } = [];

    public List<Measurement> Parse { get; } = [];

    public double ValidateSeconds => Median(Validate) / 1000;

    public double ParseSeconds => Median(Parse) / 1000;

    public double ValidatePeakMiB => Validate.Max(m => m.PeakMiB);

    public double ParsePeakMiB => Parse.Max(m => m.PeakMiB);

    public double Ratio => ValidateSeconds / ParseSeconds;

    public bool AllSucceeded => Validate.Concat(Parse).All(m => m.ExitCode == 0);

    /// <summary>Milliseconds per 1000 manifests; flat across sizes means time grows linearly.</summary>
    public double PerThousand(double seconds) => seconds * 1000 / (Size / 1000.0);

    private static double Median(List<Measurement> runs)
    {
        var sorted = runs.Select(m => m.Milliseconds).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
