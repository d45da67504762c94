using System.ComponentModel;
using System.Globalization;

namespace AuthPlatform.WebApi.Startup;

/// <summary>Reading a setting's text as the configuration binder does, and writing durations as an operator reads them.</summary>
public static class SettingText
{
    /// <summary>A duration as configured and in words: <c>1.00:00:00 (1 day)</c>.</summary>
    public static string Describe(TimeSpan value) =>
        value == TimeSpan.Zero ? "00:00:00" : $"{value.ToString("c", CultureInfo.InvariantCulture)} ({Human(value)})";

    public static string Human(TimeSpan value)
    {
        static string Count(double n, string unit) => $"{n.ToString("0.###", CultureInfo.InvariantCulture)} {unit}{(n == 1 ? "" : "s")}";
        return value.Ticks % TimeSpan.TicksPerDay == 0 && value.Days >= 365 && value.Days % 365 == 0 ? Count(value.Days / 365, "year")
            : value.Ticks % TimeSpan.TicksPerDay == 0 ? Count(value.TotalDays, "day")
            : value.Ticks % TimeSpan.TicksPerHour == 0 ? Count(value.TotalHours, "hour")
            : value.Ticks % TimeSpan.TicksPerMinute == 0 ? Count(value.TotalMinutes, "minute")
            : Count(value.TotalSeconds, "second");
    }

    /// <summary>Converts as the configuration binder does, but refuses what the binder would let through oddly.</summary>
    public static bool TryConvert(string? text, Type type, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            value = text;
            return true;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (underlying.IsEnum && (!char.IsAsciiLetter(text.Trim()[0]) || text.Contains(',', StringComparison.Ordinal)))
        {
            return false; // the binder would take "1" or "Sqlite,Postgres" as a provider
        }

        try
        {
            value = TypeDescriptor.GetConverter(underlying).ConvertFromInvariantString(text);
            return value is not null && (!underlying.IsEnum || Enum.IsDefined(underlying, value));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }
}
