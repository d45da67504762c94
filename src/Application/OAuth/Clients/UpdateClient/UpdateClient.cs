// Longer than 150 lines because a partial update is checked field by field, then as a whole against the client's type and the caller's scopes.
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.UpdateClient;

/// <summary>
/// Changes a client's settings (<c>PATCH</c>): a field left out (or null) keeps its value; a list
/// given replaces the registered one. The type and the client id never change. Only an
/// administrator changes <see cref="FirstParty"/>. Changing where codes and tokens may go (the
/// redirect URIs, the post-logout redirect URIs or the grant types) needs step-up when the caller
/// has 2FA on (<see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header), as creating the client
/// and rotating its secret do: a stolen live session alone cannot send codes to its own URI.
/// </summary>
public sealed record UpdateClientCommand(
    CallerIdentity Caller,
    Guid Id,
    string? Name = null,
    IReadOnlyList<string>? RedirectUris = null,
    IReadOnlyList<string>? PostLogoutRedirectUris = null,
    IReadOnlyList<string>? GrantTypes = null,
    IReadOnlyList<string>? Scopes = null,
    bool? RequireConsent = null,
    bool? FirstParty = null,
    string? StepUpCode = null) : ICommand<Result<OAuthClientResponse>>;

public sealed class UpdateClientValidator : AbstractValidator<UpdateClientCommand>
{
    public UpdateClientValidator(IScopeCatalog scopes)
    {
        RuleFor(c => c.Name!).DisplayText(OAuthClientRules.MaxNameLength).When(c => c.Name is not null);

        // The client's type is not known here: URIs get the broader (public) rules, and the
        // handler checks them again against the type.
        RuleFor(c => c.RedirectUris).UriList();
        RuleForEach(c => c.RedirectUris).RedirectUri(_ => null);
        RuleFor(c => c.PostLogoutRedirectUris).UriList();
        RuleForEach(c => c.PostLogoutRedirectUris).RedirectUri(_ => null);
        RuleFor(c => c.GrantTypes).GrantList();
        RuleForEach(c => c.GrantTypes).GrantType();
        RuleFor(c => c.Scopes).ScopeList();
        RuleForEach(c => c.Scopes).Scope(scopes);
    }
}

public sealed class UpdateClientHandler(IOAuthClientRepository clients, CallerAccounts callers, StepUp stepUp, IMapper mapper, TimeProvider clock)
    : ICommandHandler<UpdateClientCommand, Result<OAuthClientResponse>>
{
    public async ValueTask<Result<OAuthClientResponse>> Handle(UpdateClientCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var found = await clients.FindChangeableAsync(caller, command.Id, cancellationToken);
        if (found.IsFailure)
        {
            return found.Error!;
        }

        var client = found.Value;
        if (command.Scopes is not null && ClientAccess.ScopeBeyondCaller(caller, command.Scopes) is { } wider)
        {
            return wider;
        }

        if (command.FirstParty is { } firstParty && firstParty != client.FirstParty && !ClientAccess.IsAdministrator(caller))
        {
            return ClientAccess.FirstPartyForAdministrators;
        }

        var settings = new OAuthClientSettings(
            command.Name ?? client.Name,
            command.RedirectUris ?? client.RedirectUris,
            command.PostLogoutRedirectUris ?? client.PostLogoutRedirectUris,
            command.GrantTypes ?? client.GrantTypes,
            command.Scopes is null ? client.Scopes : ScopeSet.From(command.Scopes),
            command.RequireConsent ?? client.RequireConsent,
            command.FirstParty ?? client.FirstParty);
        if (UriProblems(client.Type, settings) is { } uriProblems)
        {
            return uriProblems;
        }

        if (ClientAccess.BrokenGrantRules(client.Type, settings.GrantTypes, settings.RedirectUris.Count, settings.FirstParty) is { } broken)
        {
            return broken;
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (RedirectsOrGrantsChange(client, settings))
        {
            var actor = await callers.LoadAsync(caller, cancellationToken);
            if (actor.IsFailure)
            {
                return CallerAccounts.NotAUser;
            }

            if (await stepUp.RequireAsync(caller, actor.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
            {
                return refused;
            }
        }

        client.Reconfigure(settings, caller.UserId!.Value, clock.GetUtcNow());
        return mapper.Map<OAuthClientResponse>(client);
    }

    private static bool RedirectsOrGrantsChange(OAuthClient client, OAuthClientSettings settings) =>
        !settings.RedirectUris.SequenceEqual(client.RedirectUris, StringComparer.Ordinal)
        || !settings.PostLogoutRedirectUris.SequenceEqual(client.PostLogoutRedirectUris, StringComparer.Ordinal)
        || !settings.GrantTypes.Order(StringComparer.Ordinal).SequenceEqual(client.GrantTypes.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The URIs that the client's type does not allow (a private-use scheme for a confidential client).</summary>
    private static Error? UriProblems(OAuthClientType type, OAuthClientSettings settings)
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Collect(fields, "redirect_uris", settings.RedirectUris, type);
        Collect(fields, "post_logout_redirect_uris", settings.PostLogoutRedirectUris, type);
        return fields.Count == 0 ? null : Error.Validation(fields);
    }

    private static void Collect(Dictionary<string, string[]> fields, string name, IReadOnlyList<string> uris, OAuthClientType type)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            if (OAuthClientRules.RedirectUriProblem(uris[i], type) is { } problem)
            {
                fields[$"{name}[{i}]"] = [problem];
            }
        }
    }
}
