"""Prompt-injection phrasings, in English, German, French, Spanish, Italian, Portuguese, Dutch, Russian,
Chinese, Japanese and Korean.

Each pattern targets the *override* wording of an injection (ignore / forget / reveal the system prompt / a
new persona / fake chat-template tokens), not topics: "how do I ignore a file in git" or "what is a system
prompt" must stay clean. Gaps between words are bounded (``_fill``), so every pattern is linear-time.
"""

from __future__ import annotations

from . import BLOCK, HITL, PatternDef

_S = r"\s{1,10}"  # whitespace between words


def _fill(n: int) -> str:
    """Up to ``n`` filler words (lazy), each followed by whitespace."""
    return rf"(?:[\w'’\-]{{1,30}}{_S}){{0,{n}}}?"


def _gap(n: int) -> str:
    """Up to ``n`` characters within one sentence (for languages written without spaces)."""
    return rf"[^\n。！？!?]{{0,{n}}}?"


def _p(name: str, regex: str, decision=BLOCK, description: str = "") -> PatternDef:
    return PatternDef(name=name, category="injection", regex=regex, decision=decision, ignore_case=True,
                      description=description)


_EN_VERB = r"(?:ignore|disregard|forget|override|bypass|abandon|set\s{1,5}aside)"
_EN_QUAL = (r"(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|"
            r"system|developer|all|any|every|your)")
_EN_NOUN = (r"(?:instructions?|prompts?|directives?|rules|guidelines|commands|orders|context|guidance|"
            r"programming|constraints|restrictions|safeguards|guardrails|policies|system\s{1,5}message)")

ENGLISH = (
    _p("en_ignore_previous_instructions",
       rf"\b{_EN_VERB}{_S}{_fill(3)}{_EN_QUAL}{_S}{_fill(2)}{_EN_NOUN}\b",
       description="ignore/forget/override (all) previous/your/system instructions"),
    _p("en_disregard_above",
       rf"\b(?:disregard|ignore|forget){_S}(?:(?:all|everything|anything){_S}(?:(?:of|that|you){_S}){{0,2}}"
       rf"(?:(?:were|was|have\s{{1,5}}been){_S})?(?:told|said|written|given){_S})?"
       rf"(?:(?:the|all|everything){_S})?(?:above|foregoing|preceding|before\s{{1,5}}this|so\s{{1,5}}far)\b",
       description="disregard the above / everything said so far"),
    _p("en_forget_everything",
       rf"\bforget{_S}(?:about{_S})?(?:everything|all){_S}(?:(?:that|you){_S}){{0,2}}"
       rf"(?:(?:were|was|have\s{{1,5}}been|know|learned){_S}(?:told{_S})?)?"
       rf"(?:before|previously|so\s{{1,5}}far|until\s{{1,5}}now|up\s{{1,5}}to\s{{1,5}}now|above)\b"),
    _p("en_new_instructions_header",
       r"\b(?:new|updated|revised|real|actual|true|override|secret|hidden)\s{1,5}(?:system\s{1,5})?"
       r"(?:instructions?|directives?|system\s{1,5}prompt|task)\s{0,5}:",
       description="a 'New instructions:' header inside content"),
    _p("en_reveal_system_prompt",
       rf"\b(?:reveal|show|print|display|output|repeat|leak|dump|disclose|expose|recite|tell{_S}me|give{_S}me|"
       rf"write{_S}out|spell{_S}out|share){_S}{_fill(3)}(?:your|the|its|my)"
       rf"{_S}(?:\w{{1,20}}{_S})?(?:system|initial|original|hidden|secret|internal|confidential|developer|"
       rf"pre-?prompt|full|exact|verbatim){_S}(?:prompt|instructions|directives|message|guidelines|rules)\b"),
    _p("en_repeat_text_above",
       rf"\b(?:repeat|print|output|reproduce|copy){_S}{_fill(3)}(?:words|text|content|everything|instructions|"
       rf"lines){_S}(?:\w{{1,12}}{_S})?(?:above|before\s{{1,5}}this|preceding)\b"),
    _p("en_dan_persona",
       rf"\b(?:you\s{{1,5}}are|you're|act\s{{1,5}}as|pretend\s{{1,5}}to\s{{1,5}}be|become|roleplay\s{{1,5}}as){_S}"
       rf"(?:now{_S}|going{_S}to{_S}(?:act|pretend){_S}(?:as|to{_S}be){_S})?(?:called{_S})?"
       r"(?-i:DAN|STAN|DUDE|AIM|AntiGPT|BetterDAN)\b",
       description="you are now DAN (and its siblings)"),
    _p("en_do_anything_now", r"\bdo\s{1,5}anything\s{1,5}now\b"),
    _p("en_jailbreak_mode",
       rf"\b(?:(?:developer|god|jailbreak|jailbroken|dan|unrestricted|unfiltered|uncensored){_S}mode"
       rf"{_S}(?:is{_S})?(?:now{_S})?(?:enabled|activated|on|engaged)|(?:enable|activate|enter|engage|switch"
       rf"{_S}(?:in)?to){_S}(?:the{_S})?(?:god|jailbreak|jailbroken|dan|unrestricted|unfiltered|uncensored)"
       rf"{_S}mode)\b"),
    _p("en_no_restrictions_persona",
       rf"\b(?:pretend|act|behave|roleplay|respond|answer|imagine){_S}{_fill(5)}(?:without|with{_S}no|free"
       rf"{_S}(?:of|from)|unbound{_S}by){_S}{_fill(2)}(?:restrictions|filters|limitations|censorship|"
       rf"morals|ethics|ethical{_S}guidelines|content{_S}polic(?:y|ies)|safety{_S}guidelines)\b",
       HITL),
    _p("en_no_longer_bound",
       rf"\byou{_S}(?:no{_S}longer{_S}(?:have|need){_S}to|(?:don'?t|do{_S}not){_S}(?:have|need){_S}to|"
       rf"are{_S}(?:no{_S}longer|not){_S}(?:bound|restricted|required){_S}(?:by|to)|are{_S}free{_S}(?:of|from))"
       rf"{_S}(?:(?:follow|obey|comply{_S}with|respect){_S})?{_fill(2)}(?:rules|guidelines|policies|"
       rf"instructions|restrictions|filters|openai|anthropic|meta)\b"),
    _p("en_from_now_on",
       rf"\bfrom{_S}now{_S}on,?{_S}(?:you{_S}(?:will|must|shall|are{_S}to)|always){_S}{_fill(2)}(?:ignore|"
       r"disregard|bypass|answer\s{1,5}without|respond\s{1,5}without|never\s{1,5}refuse)\b", HITL),
    _p("en_do_not_follow",
       rf"\b(?:do{_S}not|don'?t|stop|never){_S}(?:follow|obey|comply{_S}with|listen{_S}to){_S}"
       rf"(?:(?:your|the|any|those|these){_S}(?:previous|original|system|safety|initial|prior|above){_S}|"
       rf"your{_S})(?:instructions|rules|guidelines|directives|policies)\b", HITL),
    _p("en_admin_override",
       rf"\b(?:system|admin(?:istrator)?|developer|root|sudo|maintenance){_S}(?:override|mode{_S}override|"
       rf"command{_S}override|authori[sz]ation{_S}override)\b", HITL),
    _p("en_chat_template_tokens",
       r"<\|(?:im_start|im_end|im_sep|endoftext|system|user|assistant|start_header_id|end_header_id|eot_id|"
       r"begin_of_text)\|>|\[/?INST\]|<</?SYS>>",
       description="chat-template control tokens pasted into content"),
    _p("en_fake_role_header",
       r"(?:^|\n)\s{0,10}(?:#{1,6}\s{0,5})?\[?(?:system|assistant)\]?\s{0,5}(?:message|prompt)?\s{0,5}:"
       r"\s{0,10}(?:you|ignore|disregard|new|from\s{1,5}now)\b", HITL,
       description="a line pretending to be a system/assistant turn"),
    _p("en_exfiltrate_secrets",
       rf"\b(?:send|forward|email|e-mail|post|upload|exfiltrate|transfer|leak|paste){_S}{_fill(4)}"
       rf"(?:conversation|chat{_S}history|credentials|passwords?|api{_S}keys?|secrets?|access{_S}tokens?|"
       rf"private{_S}keys?|ssh{_S}keys?|cookies|session{_S}tokens?){_S}{_fill(3)}to{_S}"
       r"(?:https?://|[\w.+\-]{1,64}@|this\s{1,5}(?:url|address|endpoint|webhook))", HITL,
       description="instructions to send secrets or the conversation somewhere"),
)

GERMAN = (
    _p("de_ignore_previous_instructions",
       rf"\b(?:ignorier(?:e|en|t)?|vergiss|vergessen{_S}sie|missachte|missachten{_S}sie|übergehe|"
       rf"überspringe|verwirf|verwerfen{_S}sie){_S}{_fill(3)}(?:vorherigen?|vorigen?|bisherigen?|obigen?|"
       rf"früheren?|vorangegangenen?|ursprünglichen?|alle[ns]?|deine[ns]?|ihre[ns]?|sämtliche[n]?){_S}"
       rf"{_fill(2)}(?:anweisung(?:en)?|instruktion(?:en)?|befehle|regeln|vorgaben|richtlinien|anordnungen|"
       r"prompts?)\b"),
    _p("de_forget_everything",
       rf"\b(?:vergiss|vergessen{_S}sie|ignoriere|ignorieren{_S}sie){_S}(?:einfach{_S})?alles{_S}"
       rf"(?:(?:was|bisher|zuvor|vorher|oben){_S}?){{1,3}}"),
    _p("de_reveal_system_prompt",
       rf"\b(?:zeige?|gib|verrate|nenne|wiederhole|drucke|schreib(?:e)?){_S}{_fill(3)}(?:deinen?|ihren?|den|"
       rf"die|deine){_S}(?:\w{{1,20}}{_S})?(?:system[- ]?prompt|systemanweisung(?:en)?|system[- ]?nachricht|"
       r"ursprünglichen\s{1,5}anweisungen|versteckten\s{1,5}anweisungen)\b"),
    _p("de_new_instructions_header", r"\bneue\s{1,5}(?:anweisungen|instruktionen|regeln|aufgabe)\s{0,5}:"),
    _p("de_dan_persona",
       rf"\b(?:du{_S}bist{_S}(?:jetzt|ab{_S}sofort|nun|ab{_S}jetzt)|ab{_S}(?:jetzt|sofort){_S}bist{_S}du)"
       rf"{_S}(?:ein(?:e)?{_S})?(?:(?-i:DAN)|uneingeschränkt|unzensiert|ohne{_S}(?:regeln|einschränkungen))"),
)

FRENCH = (
    _p("fr_ignore_previous_instructions",
       rf"\b(?:ignore[sz]?|oublie[sz]?|ne{_S}tiens{_S}pas{_S}compte{_S}d(?:es|e)|ne{_S}tenez{_S}pas{_S}"
       rf"compte{_S}d(?:es|e)|fais{_S}abstraction{_S}d(?:es|e)|passe[sz]?{_S}outre){_S}{_fill(3)}"
       rf"(?:instructions|consignes|directives|règles|ordres|indications|commandes){_S}"
       rf"(?:\w{{1,20}}{_S})?(?:précédentes|antérieures|ci-dessus|initiales|originales|d'origine|données|"
       r"fournies|reçues|système)\b"),
    _p("fr_forget_your_instructions",
       rf"\b(?:ignore[sz]?|oublie[sz]?){_S}(?:toutes{_S})?(?:tes|vos|les{_S}tiennes|tout{_S}ce{_S}qui{_S}"
       rf"(?:précède|a{_S}été{_S}dit))(?:{_S}(?:instructions|consignes|directives|règles))?\b"),
    _p("fr_reveal_system_prompt",
       rf"\b(?:révèle|révélez|montre|montrez|affiche|affichez|donne|donnez|répète|répétez|dis|dites|"
       rf"écris|écrivez|imprime|imprimez)(?:[- ]?moi)?{_S}{_fill(3)}(?:ton|votre|le|tes|vos|les){_S}"
       rf"(?:prompt|invite|instructions?|message|consignes){_S}(?:système|systeme|initial(?:es?)?|"
       r"cachées?|secrètes?|d'origine)\b"),
    _p("fr_new_instructions_header", r"\bnouvelles?\s{1,5}(?:instructions|consignes|directives|règles)\s{0,5}:"),
    _p("fr_dan_persona",
       rf"\b(?:tu{_S}es|vous{_S}êtes){_S}(?:maintenant|désormais|dorénavant){_S}(?:un{_S}|une{_S})?"
       rf"(?:(?-i:DAN)|sans{_S}(?:restrictions|limites|filtres|règles)|non{_S}censurée?)"),
)

SPANISH = (
    _p("es_ignore_previous_instructions",
       rf"\b(?:ignora|ignore|ignoren|ignorar|olvida|olvide|olviden|olvidar|omite|omita|descarta|descarte|"
       rf"haz{_S}caso{_S}omiso{_S}(?:a|de)|no{_S}hagas{_S}caso{_S}(?:a|de)){_S}{_fill(3)}"
       rf"(?:instrucciones|indicaciones|órdenes|ordenes|reglas|directrices|directivas|normas){_S}"
       rf"(?:\w{{1,20}}{_S})?(?:anteriores|previas|de{_S}arriba|precedentes|iniciales|originales|"
       r"del\s{1,10}sistema|recibidas|dadas)\b"),
    _p("es_forget_your_instructions",
       rf"\b(?:ignora|olvida|olvide|ignore|descarta){_S}(?:todas{_S})?(?:tus|sus){_S}(?:\w{{1,20}}{_S})?"
       r"(?:instrucciones|indicaciones|reglas|directrices|órdenes)\b"),
    _p("es_reveal_system_prompt",
       rf"\b(?:revela|revele|muestra|muestre|muéstrame|dime|dígame|imprime|repite|repíteme|enséñame|escribe)"
       rf"{_S}{_fill(3)}(?:tu|su|el|las|tus|sus){_S}(?:prompt|instrucciones|mensaje|indicaciones){_S}"
       r"(?:del\s{1,10}sistema|de\s{1,10}sistema|iniciales|ocultas|secretas|originales)\b"),
    _p("es_new_instructions_header", r"\bnuevas\s{1,5}(?:instrucciones|indicaciones|reglas|órdenes)\s{0,5}:"),
    _p("es_dan_persona",
       rf"\b(?:ahora|a{_S}partir{_S}de{_S}ahora){_S}(?:tú{_S}|tu{_S})?eres{_S}(?:un{_S}|una{_S})?"
       rf"(?:(?-i:DAN)|sin{_S}(?:restricciones|límites|filtros|censura))"),
)

ITALIAN = (
    _p("it_ignore_previous_instructions",
       rf"\b(?:ignora|ignorate|ignori|dimentica|dimenticate|dimentichi|trascura|trascurate|non{_S}"
       rf"considerare|non{_S}tenere{_S}conto{_S}(?:delle|di)){_S}{_fill(3)}(?:istruzioni|indicazioni|"
       rf"regole|direttive|ordini|comandi){_S}(?:\w{{1,20}}{_S})?(?:precedenti|sopra|iniziali|originali|"
       r"fornite|ricevute|di\s{1,10}sistema)\b"),
    _p("it_forget_your_instructions",
       rf"\b(?:ignora|dimentica|ignorate|dimenticate){_S}(?:tutte{_S})?(?:le{_S})?(?:tue|vostre|sue){_S}"
       r"(?:istruzioni|indicazioni|regole|direttive)\b"),
    _p("it_reveal_system_prompt",
       rf"\b(?:rivela|rivelami|mostra|mostrami|dimmi|stampa|ripeti|scrivi){_S}{_fill(3)}(?:il|le|tuo|tue|"
       rf"il{_S}tuo|le{_S}tue){_S}(?:prompt|istruzioni|messaggio){_S}(?:di{_S}|del{_S})?(?:sistema|iniziali|"
       r"nascoste|segrete|originali)\b"),
    _p("it_new_instructions_header", r"\bnuove\s{1,5}(?:istruzioni|regole|direttive)\s{0,5}:"),
)

PORTUGUESE = (
    _p("pt_ignore_previous_instructions",
       rf"\b(?:ignore|ignora|ignorem|ignorar|esqueça|esqueca|esquece|esqueçam|desconsidere|desconsidera|"
       rf"descarte|descarta|despreze){_S}{_fill(3)}(?:instruções|instrucoes|orientações|orientacoes|regras|"
       rf"diretrizes|ordens|comandos){_S}(?:\w{{1,20}}{_S})?(?:anteriores|prévias|previas|acima|iniciais|"
       r"originais|do\s{1,10}sistema|recebidas)\b"),
    _p("pt_forget_your_instructions",
       rf"\b(?:ignore|esqueça|esqueca|esquece|desconsidere){_S}(?:todas{_S})?(?:as{_S})?(?:suas|tuas){_S}"
       r"(?:instruções|instrucoes|orientações|regras|diretrizes)\b"),
    _p("pt_reveal_system_prompt",
       rf"\b(?:revele|revela|mostre|mostra|mostre-me|diga|diga-me|imprima|repita|escreva){_S}{_fill(3)}"
       rf"(?:o|as|seu|suas|teu|tuas){_S}(?:prompt|instruções|instrucoes|mensagem){_S}(?:do{_S}|de{_S})?"
       r"(?:sistema|iniciais|ocultas|secretas|originais)\b"),
    _p("pt_new_instructions_header", r"\bnovas\s{1,5}(?:instruções|instrucoes|regras|ordens)\s{0,5}:"),
)

DUTCH = (
    _p("nl_ignore_previous_instructions",
       rf"\b(?:negeer|negeren|vergeet|veronachtzaam|omzeil|sla){_S}{_fill(3)}(?:vorige|eerdere|voorgaande|"
       rf"bovenstaande|alle|je|jouw|uw|oorspronkelijke|oude){_S}{_fill(2)}(?:instructies|opdrachten|regels|"
       r"richtlijnen|aanwijzingen|prompts?|bevelen)\b"),
    _p("nl_reveal_system_prompt",
       rf"\b(?:toon|laat|geef|onthul|herhaal|print|vertel){_S}{_fill(3)}(?:je|jouw|uw|de|het){_S}"
       r"(?:systeemprompt|systeem-prompt|systeeminstructies|systeembericht|verborgen\s{1,5}instructies|"
       r"oorspronkelijke\s{1,5}instructies)\b"),
    _p("nl_new_instructions_header", r"\bnieuwe\s{1,5}(?:instructies|opdrachten|regels)\s{0,5}:"),
)

RUSSIAN = (
    _p("ru_ignore_previous_instructions",
       rf"(?<!\w)(?:игнорируй(?:те)?|проигнорируй(?:те)?|забудь(?:те)?|не{_S}обращай(?:те)?{_S}внимания"
       rf"{_S}на|отбрось(?:те)?|пренебреги|отмени(?:те)?){_S}{_fill(3)}(?:предыдущие|прежние|"
       rf"вышеуказанные|вышеприведённые|вышеприведенные|все|свои|твои|ваши|исходные|предшествующие|"
       rf"системные|данные{_S}ранее){_S}{_fill(2)}(?:инструкции|инструкций|указания|указаний|правила|"
       r"правил|команды|команд|директивы|установки)(?!\w)"),
    _p("ru_reveal_system_prompt",
       rf"(?<!\w)(?:покажи(?:те)?|раскрой(?:те)?|выведи(?:те)?|напиши(?:те)?|повтори(?:те)?|расскажи(?:те)?|"
       rf"сообщи(?:те)?){_S}{_fill(3)}(?:системный{_S}промпт|системные{_S}инструкции|системное{_S}"
       rf"сообщение|исходные{_S}инструкции|скрытые{_S}инструкции|свой{_S}промпт|твой{_S}промпт|"
       r"(?:свои|твои)\s{1,10}инструкции)(?!\w)"),
    _p("ru_new_instructions_header", r"(?<!\w)новые\s{1,5}(?:инструкции|указания|правила)\s{0,5}:"),
    _p("ru_dan_persona",
       rf"(?<!\w)(?:теперь|отныне){_S}ты{_S}(?:—{_S}|-{_S})?(?:(?-i:DAN)|без{_S}(?:ограничений|правил|"
       r"цензуры))"),
)

CHINESE = (
    _p("zh_ignore_previous_instructions",
       rf"(?:忽略|无视|無視|忽视|忽視|忘记|忘記|忘掉|不要理会|不要理會|不用理会|跳过|跳過|抛弃|拋棄|放弃|放棄)"
       rf"{_gap(8)}(?:之前|以前|先前|上面|上述|前面|以上|此前|所有|全部|原来|原來|原有|原始|你的|系统|系統)"
       rf"{_gap(6)}(?:指令|指示|说明|說明|规则|規則|提示|命令|要求|设定|設定|约束|約束)"),
    _p("zh_reveal_system_prompt",
       rf"(?:显示|顯示|输出|輸出|打印|告诉我|告訴我|泄露|洩露|透露|重复|重複|展示|给我看|給我看|列出|说出|說出)"
       rf"{_gap(8)}(?:系统提示|系統提示|系统指令|系統指令|系统消息|系統訊息|系统设定|系統設定|初始指令|"
       r"隐藏指令|隱藏指令|提示词|提示詞|原始指令)"),
    _p("zh_new_instructions_header", r"(?:新的?指令|新的?指示|新的?规则|新的?規則)\s{0,3}[:：]"),
    _p("zh_dan_persona",
       rf"你(?:现在|現在|从现在起|從現在起)?(?:是|扮演|成为|成為){_gap(4)}(?:(?-i:DAN)|不受限制|没有限制|沒有限制|"
       r"无限制|無限制|没有任何限制|不受任何约束)"),
)

JAPANESE = (
    _p("ja_ignore_previous_instructions",
       rf"(?:以前の|前の|上記の|これまでの|先の|すべての|全ての|元の|最初の|システムの){_gap(8)}"
       rf"(?:指示|命令|ルール|指令|プロンプト|設定|制約){_gap(6)}(?:無視|忘れ|破棄|無効に)"),
    _p("ja_reveal_system_prompt",
       rf"(?:システムプロンプト|システム\s?プロンプト|初期指示|隠された指示|システムメッセージ|元の指示)"
       rf"{_gap(10)}(?:表示|見せ|教え|出力|開示|繰り返|書き出)"),
    _p("ja_new_instructions_header", r"新しい(?:指示|命令|ルール)\s{0,3}[:：]"),
)

KOREAN = (
    _p("ko_ignore_previous_instructions",
       rf"(?:이전|앞의|위의|기존|모든|원래|시스템){_gap(8)}(?:지시|지침|명령|규칙|프롬프트|설정){_gap(6)}"
       r"(?:무시|잊어|잊고|잊으)"),
    _p("ko_reveal_system_prompt",
       rf"(?:시스템\s?프롬프트|시스템\s?메시지|초기\s?지시|숨겨진\s?지시){_gap(10)}(?:보여|알려|출력|공개|반복)"),
)

INJECTION: tuple[PatternDef, ...] = (
    ENGLISH + GERMAN + FRENCH + SPANISH + ITALIAN + PORTUGUESE + DUTCH + RUSSIAN + CHINESE + JAPANESE + KOREAN
)
