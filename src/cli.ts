console.log('report-qa: under construction');
