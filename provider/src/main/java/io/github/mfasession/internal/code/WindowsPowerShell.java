package io.github.mfasession.internal.code;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Windows PowerShell 5.1 (in every Windows 10 and 11) showing a small Windows Forms dialog with a masked field.
 *
 * <p>Why this way: {@code Read-Host -AsSecureString} needs a console window, {@code Get-Credential} asks for a user name
 * too and prompts in the console in PowerShell 7, and the credential UI API needs compiled code. A form is one fixed
 * script that shows our own words. The script goes in {@code -EncodedCommand} (Base64 of UTF-16LE, so only
 * {@code [A-Za-z0-9+/=]}) and the title and text in environment variables: the command line holds nothing a user wrote,
 * so Windows' command-line quoting, which each program parses its own way, cannot be broken out of.
 */
final class WindowsPowerShell implements DesktopProgram {

    static final String TITLE_VARIABLE = "MFA_SESSION_PROMPT_TITLE";
    static final String TEXT_VARIABLE = "MFA_SESSION_PROMPT_TEXT";
    /** The script's exit status when the person cancels; PowerShell itself exits with 1 on an error. */
    static final int CANCELLED = 2;
    static final String SCRIPT = String.join("\n",
        "$ErrorActionPreference = 'Stop'",
        "Add-Type -AssemblyName System.Windows.Forms",
        "[System.Windows.Forms.Application]::EnableVisualStyles()",
        "$form = New-Object System.Windows.Forms.Form",
        "$form.Text = $env:" + TITLE_VARIABLE,
        "$form.TopMost = $true",
        "$form.FormBorderStyle = 'FixedDialog'",
        "$form.MinimizeBox = $false",
        "$form.MaximizeBox = $false",
        "$form.StartPosition = 'CenterScreen'",
        "$form.AutoSize = $true",
        "$form.AutoSizeMode = 'GrowAndShrink'",
        "$form.Padding = New-Object System.Windows.Forms.Padding 12",
        "$panel = New-Object System.Windows.Forms.FlowLayoutPanel",
        "$panel.FlowDirection = 'TopDown'",
        "$panel.AutoSize = $true",
        "$label = New-Object System.Windows.Forms.Label",
        // No mnemonic: an "&" in a profile name is shown, not taken for a keyboard shortcut.
        "$label.UseMnemonic = $false",
        "$label.AutoSize = $true",
        "$label.MaximumSize = New-Object System.Drawing.Size 460, 0",
        "$label.Text = $env:" + TEXT_VARIABLE,
        "$field = New-Object System.Windows.Forms.TextBox",
        "$field.UseSystemPasswordChar = $true",
        "$field.Width = 240",
        "$buttons = New-Object System.Windows.Forms.FlowLayoutPanel",
        "$buttons.AutoSize = $true",
        "$ok = New-Object System.Windows.Forms.Button",
        "$ok.Text = 'OK'",
        "$ok.DialogResult = [System.Windows.Forms.DialogResult]::OK",
        "$cancel = New-Object System.Windows.Forms.Button",
        "$cancel.Text = 'Cancel'",
        "$cancel.DialogResult = [System.Windows.Forms.DialogResult]::Cancel",
        "$buttons.Controls.AddRange(@($ok, $cancel))",
        "$panel.Controls.AddRange(@($label, $field, $buttons))",
        "$form.Controls.Add($panel)",
        "$form.AcceptButton = $ok",
        "$form.CancelButton = $cancel",
        "$form.Add_Shown({ $form.Activate(); $field.Focus() })",
        "if ($form.ShowDialog() -ne [System.Windows.Forms.DialogResult]::OK) { exit " + CANCELLED + " }",
        "[Console]::Out.WriteLine($field.Text)",
        "exit 0");

    private final String path;

    WindowsPowerShell(String path) {
        this.path = path;
    }

    @Override
    public String name() {
        return "PowerShell";
    }

    @Override
    public List<String> command(String title, String text) {
        return List.of(path, "-NoProfile", "-NonInteractive", "-STA", "-WindowStyle", "Hidden", "-EncodedCommand", encoded(SCRIPT));
    }

    @Override
    public Map<String, String> environment(String title, String text) {
        // A Windows label breaks lines at CR LF.
        return Map.of(TITLE_VARIABLE, title, TEXT_VARIABLE, text.replace("\n", "\r\n"));
    }

    /** PowerShell's {@code -EncodedCommand} form: Base64 of the script's UTF-16LE bytes. */
    static String encoded(String script) {
        return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    }

    @Override
    public boolean cancelled(int exitStatus, String errorOutput) {
        return exitStatus == CANCELLED;
    }
}
