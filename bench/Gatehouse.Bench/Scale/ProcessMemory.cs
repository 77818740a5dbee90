using System.Globalization;

namespace Gatehouse.Bench.Scale;

/// <summary>A process's resident memory from /proc/PID/status: now (VmRSS) and its peak (VmHWM), in MiB.</summary>
internal sealed record ProcessMemory(double RssMiB, double PeakMiB)
{
    public static ProcessMemory Read(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        double Field(string name) =>
            lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0)
                .FirstOrDefault();
        return new ProcessMemory(Field("VmRSS"), Field("VmHWM"));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RSS {RssMiB:F0} MiB, peak {PeakMiB:F0} MiB");
}
