using System.Runtime.InteropServices;

namespace Gatehouse.Bench.Measuring;

/// <summary>getrusage(2) on Linux, for the peak resident set size of waited-for children.</summary>
internal static partial class ResourceUsage
{
    private const int RusageChildren = -1;

    /// <summary>
    /// ru_maxrss of RUSAGE_CHILDREN in KiB: the peak RSS of the largest child this process has
    /// waited for (a maximum over children, not a sum, and never reset), so it is the peak of one
    /// child only in a process that ran exactly one.
    /// </summary>
    public static long PeakChildRssKiB()
    {
        if (GetRUsage(RusageChildren, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return usage.MaxRss;
    }

    /// <summary>This process's own peak RSS in KiB (VmHWM), read after the child has exited.</summary>
    public static long OwnPeakRssKiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, out RUsage usage);

    // struct rusage on 64-bit Linux: two struct timeval (2 x long each), then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }
}
