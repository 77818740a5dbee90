namespace Gatehouse.Core.Diagnostics;

/// <summary>Orders findings by file, line, column, then code and message, so output is stable from run to run.</summary>
public sealed class DiagnosticOrder : IComparer<Diagnostic>
{
    public static readonly DiagnosticOrder Instance = new();

    public int Compare(Diagnostic? x, Diagnostic? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var order = string.CompareOrdinal(x.Location.File, y.Location.File);
        if (order == 0)
        {
            order = x.Location.Line.CompareTo(y.Location.Line);
        }

        if (order == 0)
        {
            order = x.Location.Column.CompareTo(y.Location.Column);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(x.Code, y.Code);
        }

        return order != 0 ? order : string.CompareOrdinal(x.Message, y.Message);
    }
}
