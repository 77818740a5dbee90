namespace Gatehouse.Server.Reports;

/// <summary>Stable codes of the reports and of verifying an export's audit head (GH4200–GH4249, docs/errors.md).</summary>
internal static class ReportErrors
{
    public const string EnvironmentRequired = "GH4200";
    public const string Forbidden = "GH4201";
    public const string FormatInvalid = "GH4202";
    public const string LogKeptMoving = "GH4203";
    public const string PeriodInvalid = "GH4204";
    public const string HeadInvalid = "GH4205";
    public const string HeadMismatch = "GH4206";
    public const string UnknownEnvironment = "GH4207";
    public const string TooManyEvents = "GH4208";
}
