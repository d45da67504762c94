using AuthPlatform.Application.Admin.EnsureBootstrapAdministrator;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Hashing;
using AuthPlatform.Infrastructure.TwoFactor;
using AuthPlatform.WebApi.Http;
using FluentValidation;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The bounds of the sections that protect accounts: <c>Lockout</c>, <c>RateLimiting</c>,
/// <c>Passwords</c>, <c>ApiKeys</c>, <c>TwoFactor</c>, <c>Scopes</c> and <c>Bootstrap</c>.
/// </summary>
public static class AccountSettingsRules
{
    public static void Check(SettingsReader reader)
    {
        var lockout = reader.Bind<LockoutOptions>(LockoutOptions.SectionName);
        reader.Integer("Lockout:MaxFailedAttempts", lockout.MaxFailedAttempts, 3, 100);
        reader.Duration("Lockout:Window", lockout.Window, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        reader.Duration("Lockout:Duration", lockout.Duration, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        reader.Integer("Lockout:AccountMaxFailedAttempts", lockout.AccountMaxFailedAttempts, 3, 1000);
        if (lockout.PruneInterval != TimeSpan.Zero)
        {
            // 00:00:00 turns pruning off; anything else is a run at least a minute apart.
            reader.Duration("Lockout:PruneInterval", lockout.PruneInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        }

        var rateLimiting = reader.Bind<RateLimitingOptions>(RateLimitingOptions.SectionName);
        reader.Integer("RateLimiting:PermitLimit", rateLimiting.PermitLimit, 1, 1_000_000);
        reader.Integer("RateLimiting:WindowSeconds", rateLimiting.WindowSeconds, 1, 3600);
        reader.Integer("RateLimiting:CredentialLookupLimit", rateLimiting.CredentialLookupLimit, 1, 1_000_000);
        reader.Integer("RateLimiting:CredentialLookupWindowSeconds", rateLimiting.CredentialLookupWindowSeconds, 1, 3600);

        var passwords = reader.Bind<PasswordHashingOptions>(PasswordHashingOptions.SectionName);
        reader.Integer("Passwords:Iterations", passwords.Iterations, 1_000, 10_000_000);

        var apiKeys = reader.Bind<ApiKeyOptions>(ApiKeyOptions.SectionName);
        if (apiKeys.Prefix is not { Length: >= 2 and <= 16 } || !apiKeys.Prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            reader.Fail("ApiKeys:Prefix", $"is {reader.Shown("ApiKeys:Prefix")}", "2 to 16 lowercase letters or digits, e.g. ap");
        }

        reader.Duration("ApiKeys:CacheDuration", apiKeys.CacheDuration, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        reader.Duration("ApiKeys:NegativeCacheDuration", apiKeys.NegativeCacheDuration, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        reader.Duration("ApiKeys:LastUsedWriteInterval", apiKeys.LastUsedWriteInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        var twoFactor = reader.Bind<TwoFactorOptions>(TwoFactorOptions.SectionName);
        if (string.IsNullOrWhiteSpace(twoFactor.Issuer) || twoFactor.Issuer.Length > 64 || twoFactor.Issuer.Any(c => char.IsControl(c) || c == ':'))
        {
            reader.Fail("TwoFactor:Issuer", $"is {reader.Shown("TwoFactor:Issuer")}", "1 to 64 characters without ':' or control characters, e.g. AuthPlatform");
        }

        var scopes = reader.Bind<ScopeOptions>(ScopeOptions.SectionName);
        for (var i = 0; i < scopes.Custom.Count; i++)
        {
            if (!Scopes.IsValidName(scopes.Custom[i]))
            {
                reader.Fail($"Scopes:Custom:{i}", $"is {reader.Shown($"Scopes:Custom:{i}")}", "a scope name of 1 to 64 characters from [a-z0-9_.:-], e.g. models.read");
            }
        }

        // The default password policy here; Program checks again with the policy the application
        // actually uses (an extension may replace it) once the services are built (ServiceChecks).
        var defaultRules = new EnsureBootstrapAdministratorValidator(new CommonPasswordPolicy(new CommonPasswordList()));
        CheckBootstrapAsync(reader, defaultRules, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The first administrator: both or neither of e-mail and password, valid by the product's own rules.</summary>
    public static async ValueTask CheckBootstrapAsync(
        SettingsReader reader, IValidator<EnsureBootstrapAdministratorCommand> validator, CancellationToken cancellationToken)
    {
        var bootstrap = reader.Bind<BootstrapOptions>(BootstrapOptions.SectionName);
        var hasEmail = !string.IsNullOrWhiteSpace(bootstrap.AdminEmail);
        var hasPassword = !string.IsNullOrEmpty(bootstrap.AdminPassword);
        if (hasEmail != hasPassword)
        {
            var missing = hasEmail ? "Bootstrap:AdminPassword" : "Bootstrap:AdminEmail";
            reader.Fail(missing, $"is empty while {(hasEmail ? "Bootstrap:AdminEmail" : "Bootstrap:AdminPassword")} is set",
                "set as well, to create the first administrator (or leave both empty)");
            return;
        }

        if (!hasEmail)
        {
            return;
        }

        var command = new EnsureBootstrapAdministratorCommand(bootstrap.AdminEmail!, bootstrap.AdminPassword!, bootstrap.AdminName);
        var result = await validator.ValidateAsync(command, cancellationToken);
        foreach (var failures in result.Errors.GroupBy(e => e.PropertyName))
        {
            var (key, accepts) = failures.Key switch
            {
                nameof(command.Email) => ("Bootstrap:AdminEmail", "a single e-mail address such as admin@example.com"),
                nameof(command.Password) => ("Bootstrap:AdminPassword",
                    $"{PasswordRules.MinLength} to {PasswordRules.MaxLength} characters and accepted by the password policy (by default: not on the list of common or breached passwords)"),
                _ => ("Bootstrap:AdminName", $"1 to {Domain.Users.User.MaxNameLength} characters without control characters"),
            };
            var shown = key == "Bootstrap:AdminPassword" ? "" : $"is {reader.Shown(key)}, which ";
            var reasons = string.Join(" ", failures.Select(f => $"\"{f.ErrorMessage.ReplaceLineEndings(" ")}\"").Distinct());
            reader.Fail(key, $"{shown}is not accepted ({reasons})", accepts);
        }
    }
}
