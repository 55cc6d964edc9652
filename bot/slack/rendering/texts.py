"""Sentences only the Slack bot says, in every supported language (core ones: bot.core.messages)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "switch_language": "Italiano",
        "other_causes": "Other likely causes ({count})",
        "helpful": "Helpful",
        "not_helpful": "Not helpful",
        "feedback_thanks": "Thanks, your feedback was recorded.",
        "shortened": "Shortened to fit in Slack: `/502 show {entry}` or `badgateway kb show {entry}` has it all.",
        "shortened_plain": "(shortened to fit in Slack)",
        "evidence_line": "line {number}",
        "what_to_paste": "Mention me with the error text, or send it to me directly: a log excerpt, "
                         "the `curl -i` output, or a .log/.txt/.json/.csv file.",
        "no_other_causes": "No other likely cause was found in that text.",
        "file_rejected_type": "I can read .log, .txt, .json and .csv files; `{name}` is not one of them.",
        "file_rejected_size": "`{name}` is {size} MB; I read files up to {limit} MB. "
                              "Paste the lines around the failing request instead.",
        "file_unreadable": "I could not read `{name}`: {reason}.",
        "file_reason_html": "Slack sent a web page instead of the file (the app may be missing the files:read scope)",
        "file_reason_binary": "it looks like a binary file, not log text",
        "file_reason_download": "the download failed",
        "file_reason_host": "its address is not on the Slack host this bot talks to",
        "help_title": "badgateway: why API Gateway answers 502",
        "help": (
            "*Paste an error to me:* mention me in a channel or send me a direct message with a log "
            "excerpt, the `curl -i` output or a .log/.txt/.json/.csv file (up to 5 MB), and I answer "
            "in the thread with the cause and the fix.\n\n"
            "*Commands:*\n"
            "• `/502 help`: this message\n"
            "• `/502 list`: every failure mode I know\n"
            "• `/502 show ENTRY-ID`: one of them in full, e.g. `/502 show function-timeout`\n"
            "• `/502 API-ID [STAGE] [REGION]`: check a deployed API (live checks)"
        ),
        "list_title": "What I recognise ({count})",
        "unknown_entry": "I do not know `{entry}`. `/502 list` shows every entry id.",
        "show_needs_id": "Which one? `/502 show ENTRY-ID`, e.g. `/502 show function-timeout`; `/502 list` has the ids.",
        "bad_api_id": "`{value}` is not an API Gateway API id: an id is 10 lowercase letters and digits, "
                      "like `a1b2c3d4e5` (in `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com`). "
                      "`/502 help` lists the commands.",
        "bad_stage": "`{value}` is not a stage name: letters, digits, `-` and `_`, up to 128 characters.",
        "bad_region": "`{value}` is not an AWS region, e.g. `eu-west-1`.",
        "live_disabled": "Live checks are turned off. An admin enables them for chosen channels and people "
                         "with BADGATEWAY_ALLOWED_CHANNELS and BADGATEWAY_ALLOWED_USERS (channel and user IDs, "
                         "or `*` for all). Meanwhile, paste the execution log of a failing request in a "
                         "message that mentions me.",
        "live_external": "Live checks read this organisation's AWS account, so they are not available to "
                         "people from other organisations in shared channels.",
        "live_guest": "Live checks read this organisation's AWS account, so they are not available to guests.",
        "live_unverified": "I could not confirm that you are a member of this workspace, so the live check "
                           "did not run.",
        "busy": "I am busy with other requests right now: please try again in a minute.",
        "live_channel_not_allowed": "Live checks are not enabled in this channel (BADGATEWAY_ALLOWED_CHANNELS).",
        "live_user_not_allowed": "You are not among the people who may run live checks "
                                 "(BADGATEWAY_ALLOWED_USERS).",
        "live_started": "Checking `{api}` (read-only): the findings will be posted in this channel.",
        "live_busy": "A live check of yours is still running: one at a time, please.",
        "live_failed": "The live check could not run: {reason}",
        "other_causes_title": "Other likely causes",
    },
    "it": {
        "switch_language": "English",
        "other_causes": "Altre cause probabili ({count})",
        "helpful": "Utile",
        "not_helpful": "Non utile",
        "feedback_thanks": "Grazie, il tuo parere è stato registrato.",
        "shortened": "Accorciato per Slack: `/502 show {entry}` o `badgateway kb show {entry}` lo mostrano per intero.",
        "shortened_plain": "(accorciato per Slack)",
        "evidence_line": "riga {number}",
        "what_to_paste": "Menzionami con il testo dell'errore, o mandamelo in privato: un estratto di log, "
                         "l'output di `curl -i`, o un file .log/.txt/.json/.csv.",
        "no_other_causes": "In quel testo non ho trovato altre cause probabili.",
        "file_rejected_type": "Leggo file .log, .txt, .json e .csv; `{name}` non è di questi tipi.",
        "file_rejected_size": "`{name}` pesa {size} MB; leggo file fino a {limit} MB. "
                              "Incolla invece le righe intorno alla richiesta non riuscita.",
        "file_unreadable": "Non sono riuscito a leggere `{name}`: {reason}.",
        "file_reason_html": "Slack ha inviato una pagina web invece del file (forse all'app manca lo scope files:read)",
        "file_reason_binary": "sembra un file binario, non testo di log",
        "file_reason_download": "lo scaricamento non è riuscito",
        "file_reason_host": "il suo indirizzo non è sull'host Slack con cui parla questo bot",
        "help_title": "badgateway: perché API Gateway risponde 502",
        "help": (
            "*Incollami un errore:* menzionami in un canale o mandami un messaggio diretto con un "
            "estratto di log, l'output di `curl -i` o un file .log/.txt/.json/.csv (fino a 5 MB), e "
            "rispondo nel thread con la causa e la soluzione.\n\n"
            "*Comandi:*\n"
            "• `/502 help`: questo messaggio\n"
            "• `/502 list`: tutti i guasti che conosco\n"
            "• `/502 show ID-VOCE`: uno di questi per intero, es. `/502 show function-timeout`\n"
            "• `/502 API-ID [FASE] [REGIONE]`: controlla un'API distribuita (controlli dal vivo)"
        ),
        "list_title": "Cosa riconosco ({count})",
        "unknown_entry": "Non conosco `{entry}`. `/502 list` mostra tutti gli id.",
        "show_needs_id": "Quale? `/502 show ID-VOCE`, es. `/502 show function-timeout`; `/502 list` elenca gli id.",
        "bad_api_id": "`{value}` non è un id di API Gateway: un id è di 10 lettere minuscole e cifre, "
                      "come `a1b2c3d4e5` (in `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com`). "
                      "`/502 help` elenca i comandi.",
        "bad_stage": "`{value}` non è un nome di fase: lettere, cifre, `-` e `_`, fino a 128 caratteri.",
        "bad_region": "`{value}` non è una regione AWS, es. `eu-west-1`.",
        "live_disabled": "I controlli dal vivo sono disattivati. Un amministratore li attiva per canali e "
                         "persone scelti con BADGATEWAY_ALLOWED_CHANNELS e BADGATEWAY_ALLOWED_USERS (ID di "
                         "canali e utenti, o `*` per tutti). Nel frattempo incolla il log di esecuzione di una "
                         "richiesta non riuscita in un messaggio che mi menziona.",
        "live_external": "I controlli dal vivo leggono l'account AWS di questa organizzazione, quindi non sono "
                         "disponibili per persone di altre organizzazioni nei canali condivisi.",
        "live_guest": "I controlli dal vivo leggono l'account AWS di questa organizzazione, quindi non sono "
                      "disponibili per gli ospiti.",
        "live_unverified": "Non ho potuto verificare che tu sia membro di questo workspace, quindi il controllo "
                           "dal vivo non è stato eseguito.",
        "busy": "In questo momento sono occupato con altre richieste: riprova tra un minuto.",
        "live_channel_not_allowed": "I controlli dal vivo non sono attivi in questo canale "
                                    "(BADGATEWAY_ALLOWED_CHANNELS).",
        "live_user_not_allowed": "Non sei tra le persone che possono eseguire i controlli dal vivo "
                                 "(BADGATEWAY_ALLOWED_USERS).",
        "live_started": "Controllo di `{api}` in corso (sola lettura): i risultati saranno pubblicati in questo canale.",
        "live_busy": "Un tuo controllo dal vivo è ancora in corso: uno alla volta, per favore.",
        "live_failed": "Il controllo dal vivo non è stato eseguito: {reason}",
        "other_causes_title": "Altre cause probabili",
    },
}


def say(lang: str, key: str, **values: object) -> str:
    """The sentence `key` in `lang` (English when unknown), as mrkdwn, with `values` escaped."""
    table = STRINGS.get(lang, STRINGS["en"])
    if not values:
        return table[key]
    # Values are often the user's words: escaped, and without backticks that would end a code span.
    return table[key].format(**{k: escape(str(v)).replace("`", "'") for k, v in values.items()})


def escape(text: str) -> str:
    """Text for a Slack mrkdwn field: &, < and > as entities, so `<!channel>` stays inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
