namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The configuration check that runs first in Program, before any service is registered and so
/// before the database is touched: every bad setting becomes one line on stderr naming the setting,
/// its environment-variable form and what it accepts, and the server exits with code 1 (no stack
/// trace; see <see cref="StartupConfigurationException"/>). The bounds are listed in
/// docs/operations.md, "Configuration checks at start-up".
/// </summary>
public static class StartupConfigurationValidator
{
    /// <summary>Every error; the checks of the environment (the SQLite folder) run once the settings themselves are valid.</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var sqliteFile = DatabaseSettingsRules.Check(reader);
        TokenSettingsRules.Check(reader);
        AccountSettingsRules.Check(reader);
        HostSettingsRules.Check(reader);
        HostSettingsRules.CheckObservability(reader);
        DataProtectionSettingsRules.Check(reader);
        ClusterSettingsRules.Check(reader);
        RetentionSettingsRules.Check(reader);
        reader.ReportRemainingUnreadable();
        if (reader.Errors.Count == 0 && sqliteFile is not null)
        {
            DatabaseSettingsRules.CheckSqliteFolder(reader, sqliteFile);
        }

        return reader.Errors;
    }

    /// <summary>Program's first step: throws <see cref="StartupConfigurationException"/> (one line per error, exit code 1) if anything is wrong.</summary>
    public static void ThrowIfInvalid(IConfiguration configuration)
    {
        StartupConfigurationException.ExitOnUnhandled();
        StartupConfigurationException.ThrowIfAny(Validate(configuration));
    }
}
