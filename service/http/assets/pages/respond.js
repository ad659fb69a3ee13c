// respond.js - the questionnaire page (/respond#<token>).
"use strict";
