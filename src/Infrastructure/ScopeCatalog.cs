using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure;

/// <summary>Built-in scopes plus the operator's, validated at start-up.</summary>
public sealed class ScopeCatalog : IScopeCatalog
{
    private readonly HashSet<string> _all;

    public ScopeCatalog(IOptions<ScopeOptions> options)
    {
        var invalid = options.Value.Custom.Where(s => !Scopes.IsValidName(s)).ToList();
        if (invalid.Count > 0)
        {
            throw new InvalidOperationException(
                $"Invalid scope names in configuration (Scopes:Custom): {string.Join(", ", invalid)}. A scope matches [a-z0-9_.:-]{{1,64}}.");
        }

        OperatorScopes = options.Value.Custom.Distinct(StringComparer.Ordinal).Except(Scopes.BuiltIn).ToList();
        _all = new HashSet<string>(Scopes.BuiltIn.Concat(OperatorScopes), StringComparer.Ordinal);
    }

    public IReadOnlyList<string> OperatorScopes { get; }

    public bool IsKnown(string scope) => _all.Contains(scope);
}
