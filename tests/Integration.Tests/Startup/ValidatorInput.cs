using AuthPlatform.WebApi.Startup;
using Microsoft.Extensions.Configuration;

namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>Runs the start-up configuration check over in-memory settings, with a SQLite file in a temporary folder.</summary>
internal static class ValidatorInput
{
    /// <summary>One folder for every run (the checks create folders in it, never a database file).</summary>
    public static readonly string Folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "authplatform-validator-tests")).FullName;

    public static string SqliteFile => Path.Combine(Folder, "authplatform.db");

    /// <summary>Settings written <c>Key=Value</c> (the key in its configuration form, <c>Jwt:ClockSkew</c>).</summary>
    public static IReadOnlyList<string> Validate(params string[] settings)
    {
        var values = new Dictionary<string, string?> { ["ConnectionStrings:Default"] = $"Data Source={SqliteFile}" };
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            values[setting[..equals]] = setting[(equals + 1)..];
        }

        return StartupConfigurationValidator.Validate(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    /// <summary>Asserts exactly one error, on one line, naming the setting in both forms; returns it.</summary>
    public static string SingleErrorFor(string key, IReadOnlyList<string> errors)
    {
        var line = Assert.Single(errors);
        Assert.StartsWith($"Configuration error: {key} (env {key.Replace(":", "__", StringComparison.Ordinal)}", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        return line;
    }
}
