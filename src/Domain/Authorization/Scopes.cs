using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.Authorization;

/// <summary>The built-in scopes that govern this API itself (SPEC section 4).</summary>
public static class Scopes
{
    public const string Profile = "profile";
    public const string ApiKeysRead = "api_keys:read";
    public const string ApiKeysWrite = "api_keys:write";
    public const string ServiceAccountsRead = "service_accounts:read";
    public const string ServiceAccountsWrite = "service_accounts:write";
    public const string ClientsRead = "clients:read";
    public const string ClientsWrite = "clients:write";
    public const string AuditRead = "audit:read";
    public const string Admin = "admin";

    public static IReadOnlyList<string> BuiltIn { get; } =
    [
        Profile, ApiKeysRead, ApiKeysWrite, ServiceAccountsRead, ServiceAccountsWrite,
        ClientsRead, ClientsWrite, AuditRead, Admin,
    ];

    /// <summary>
    /// What a grant allows now: those of its scopes (a session's, as the login granted them, or an
    /// API key's permissions) that the holder's role holds today. The grant is a cap that this
    /// never widens; a demotion, or an operator scope dropped from the catalog, narrows it at once.
    /// </summary>
    public static ScopeSet Effective(ScopeSet granted, UserRole role, IEnumerable<string> operatorScopes) =>
        granted.Within(ForRole(role, operatorScopes));

    /// <summary>A scope name: 1 to 64 of <c>[a-z0-9_.:-]</c>.</summary>
    public static bool IsValidName(string? scope) =>
        !string.IsNullOrEmpty(scope) && scope.Length <= 64 && scope.All(IsScopeChar);

    /// <summary>
    /// The scopes a role holds: a user every scope but <c>admin</c> (operator-defined ones
    /// included), an administrator all of them.
    /// </summary>
    public static IReadOnlyList<string> ForRole(UserRole role, IEnumerable<string> operatorScopes)
    {
        var all = BuiltIn.Concat(operatorScopes).Distinct(StringComparer.Ordinal);
        return role == UserRole.Admin ? all.ToList() : all.Where(s => s != Admin).ToList();
    }

    private static bool IsScopeChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-';
}
