using System.Globalization;
using System.Runtime.InteropServices;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// CPU time a process has used (user + system, from /proc/PID/stat). CPU per request is the
/// figure other work on a shared machine disturbs least: it slows the server's wall clock, not
/// the work each request needs.
/// </summary>
internal static partial class ProcessCpu
{
    private const int ScClkTck = 2;
    private static readonly long TicksPerSecond = SysConf(ScClkTck) is > 0 and var t ? t : 100;

    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / (double)TicksPerSecond;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
