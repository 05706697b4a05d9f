// Passkeys (WebAuthn): a button with data-passkey="create" or "get" inside a form asks the server for options
// (with the form's antiforgery token), has the browser make or use a credential, and posts it in the form's
// "credential" field. Delegated once for the whole document, so pages reached by enhanced navigation work too.
document.addEventListener('click', async event => {
    const button = event.target.closest('[data-passkey]');
    if (!button) return;
    event.preventDefault();
    const form = button.closest('form');
    const error = form.querySelector('[data-passkey-error]');
    try {
        if (!window.PublicKeyCredential?.parseCreationOptionsFromJSON) throw new Error('passkeys unsupported');
        const body = new FormData();
        body.append('__RequestVerificationToken', form.querySelector('input[name="__RequestVerificationToken"]').value);
        const create = button.dataset.passkey === 'create';
        const response = await fetch(create ? 'Account/PasskeyCreationOptions' : 'Account/PasskeyRequestOptions', { method: 'POST', body, credentials: 'same-origin' });
        if (!response.ok) throw new Error(`options: ${response.status}`);
        const options = await response.json();
        const credential = create
            ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        form.querySelector('input[name="credential"]').value = JSON.stringify(credential);
        form.submit();
    } catch (e) {
        if (error) error.hidden = false;
    }
});
