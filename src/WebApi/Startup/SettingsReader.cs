using System.Globalization;
using System.Reflection;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Reads configuration sections into their options classes one property at a time, so that a value
/// that cannot be parsed is reported with its key instead of crashing the binder, and collects each
/// error as one line naming the setting, its environment-variable form and what it accepts.
/// </summary>
public sealed class SettingsReader(IConfiguration configuration)
{
    private readonly List<string> _errors = [];
    private readonly Dictionary<string, Type> _unreadable = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);

    public IConfiguration Configuration => configuration;

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>A new <typeparamref name="T"/> with its defaults, overwritten by every readable value of the section.</summary>
    public T Bind<T>(string sectionName)
        where T : new()
    {
        var options = new T();
        foreach (var child in configuration.GetSection(sectionName).GetChildren())
        {
            var property = typeof(T).GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                continue;
            }

            if (property.PropertyType == typeof(List<string>))
            {
                property.SetValue(options, child.Get<List<string>>() ?? []);
            }
            else if (SettingText.TryConvert(child.Value, property.PropertyType, out var value))
            {
                property.SetValue(options, value);
            }
            else
            {
                _unreadable[child.Path] = property.PropertyType;
            }
        }

        return options;
    }

    /// <summary>Whether <paramref name="key"/> was set to a value its type cannot hold (it keeps its default).</summary>
    public bool IsUnreadable(string key) => _unreadable.ContainsKey(key);

    /// <summary>The environment-variable form of a key: <c>Jwt:Issuer</c> is <c>Jwt__Issuer</c>.</summary>
    public static string EnvironmentName(string key) => key switch
    {
        "Urls" => "Urls or ASPNETCORE_URLS",
        "HTTP_PORTS" or "HTTPS_PORTS" => $"ASPNETCORE_{key}",
        "DataProtection:Certificate" => "DataProtection__Certificate__Path or DataProtection__Certificate__Thumbprint",
        _ => key.Replace(":", "__", StringComparison.Ordinal),
    };

    /// <summary>Records one error line: "<c>Configuration error: Key (env Key__Env) {problem}; it must be {accepts}.</c>"</summary>
    public void Fail(string key, string problem, string accepts)
    {
        _reported.Add(key);
        _errors.Add($"Configuration error: {key} (env {EnvironmentName(key)}) {problem}; it must be {accepts}.");
    }

    /// <summary>The value as set, quoted and made safe to print on one line; secrets are never shown.</summary>
    public string Shown(string key, bool secret = false)
    {
        var raw = configuration[key];
        if (secret)
        {
            return "set to a value that is not shown";
        }

        var clean = new string((raw ?? "").Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c).ToArray());
        return $"'{(clean.Length > 80 ? clean[..80] + "..." : clean)}'";
    }

    /// <summary>Checks a bounded duration; false if it is unreadable or out of bounds.</summary>
    public bool Duration(string key, TimeSpan value, TimeSpan min, TimeSpan max, string? minText = null)
    {
        var accepts = $"a duration from {minText ?? SettingText.Describe(min)} to {SettingText.Describe(max)}, written [d.]hh:mm:ss";
        if (IsUnreadable(key))
        {
            Fail(key, $"is {Shown(key)}, which is not a duration", accepts);
            return false;
        }

        if (value < min || value > max)
        {
            Fail(key, $"is {Shown(key)}, read as {SettingText.Human(value)}", accepts);
            return false;
        }

        return true;
    }

    /// <summary>Checks a bounded whole number; false if it is unreadable or out of bounds.</summary>
    public bool Integer(string key, int value, int min, int max)
    {
        var accepts = $"a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}";
        if (IsUnreadable(key) || value < min || value > max)
        {
            Fail(key, $"is {Shown(key)}", accepts);
            return false;
        }

        return true;
    }

    /// <summary>Reports every unreadable value that no rule has reported yet (a safety net for new properties).</summary>
    public void ReportRemainingUnreadable()
    {
        foreach (var (key, type) in _unreadable.Where(u => !_reported.Contains(u.Key)).ToList())
        {
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            var accepts = underlying.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(underlying))}"
                : underlying == typeof(bool) ? "true or false"
                : underlying == typeof(TimeSpan) ? "a duration written [d.]hh:mm:ss"
                : $"a value of type {underlying.Name}";
            Fail(key, $"is {Shown(key)}, which cannot be read", accepts);
        }
    }
}
