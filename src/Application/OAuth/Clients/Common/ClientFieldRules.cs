using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.OAuth;
using FluentValidation;

namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>The shape of each client setting, shared by registration and update (shape only: no database).</summary>
public static class ClientFieldRules
{
    /// <summary>At most <see cref="OAuthClientRules.MaxUris"/> URIs, each once.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> UriList<T>(this IRuleBuilder<T, IReadOnlyList<string>?> list) =>
        list.Must(u => u is null || u.Count <= OAuthClientRules.MaxUris).WithMessage($"At most {OAuthClientRules.MaxUris} URIs.")
            .Must(u => u is null || u.Count > OAuthClientRules.MaxUris || u.Distinct(StringComparer.Ordinal).Count() == u.Count)
            .WithMessage("A URI is listed twice.");

    /// <summary>Each URI valid for the client's type (<see cref="OAuthClientRules.RedirectUriProblem"/>); an unknown type is judged as public, the broader rules.</summary>
    public static IRuleBuilderOptionsConditions<T, string> RedirectUri<T>(this IRuleBuilder<T, string> each, Func<T, OAuthClientType?> type) =>
        each.Custom((uri, context) =>
        {
            if (OAuthClientRules.RedirectUriProblem(uri, type(context.InstanceToValidate) ?? OAuthClientType.Public) is { } problem)
            {
                context.AddFailure(problem);
            }
        });

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> GrantList<T>(this IRuleBuilder<T, IReadOnlyList<string>?> list) =>
        list.Must(g => g is null || g.Count > 0).WithMessage("Name at least one grant type.")
            .Must(g => g is null || g.Count <= 2 * OAuthGrantTypes.All.Count).WithMessage("Too many grant types.");

    public static IRuleBuilderOptions<T, string> GrantType<T>(this IRuleBuilder<T, string> each) =>
        each.Must(OAuthGrantTypes.IsKnown).WithMessage((_, g) => $"Unknown grant type '{Shorten(g)}': use {string.Join(", ", OAuthGrantTypes.All)}.");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> ScopeList<T>(this IRuleBuilder<T, IReadOnlyList<string>?> list) =>
        list.Must(s => s is null || s.Count > 0).WithMessage("Name at least one scope.")
            .Must(s => s is null || s.Count <= OAuthClientRules.MaxScopes).WithMessage($"A client holds at most {OAuthClientRules.MaxScopes} scopes.");

    /// <summary>A scope the operator's catalog knows, or an OpenID Connect identity scope.</summary>
    public static IRuleBuilderOptions<T, string> Scope<T>(this IRuleBuilder<T, string> each, IScopeCatalog catalog) =>
        each.Must(s => s is not null && (catalog.IsKnown(s) || OAuthIdentityScopes.Contains(s)))
            .WithMessage((_, s) => $"'{Shorten(s)}' is not a known scope.");

    /// <summary><c>confidential</c> or <c>public</c>; null for anything else.</summary>
    public static OAuthClientType? ParseType(string? type) => type switch
    {
        "confidential" => OAuthClientType.Confidential,
        "public" => OAuthClientType.Public,
        _ => null,
    };

    public static string Shorten(string? value) => value is null ? "null" : value.Length <= 64 ? value : value[..64] + "…";
}
