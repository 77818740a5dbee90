namespace Gatehouse.Bench.Serving;

/// <summary>A server's resident memory (VmRSS) and its peak (VmHWM) in MB, from /proc/PID/status.</summary>
internal sealed record ServerMemory(double RssMb, double PeakMb)
{
    public static ServerMemory Read(int pid)
    {
        double Field(string name) =>
            File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
        return new ServerMemory(Field("VmRSS"), Field("VmHWM"));
    }

    public override string ToString() => $"{RssMb:F0} MB (peak {PeakMb:F0} MB)";
}
